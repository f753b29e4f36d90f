/**
 * Reads the query of the Image Chat iframe embed
 * (`/embed/image?tenant=T&urlId=U&src=IMG[&readonly=1&dark=1…]`) into
 * island options, refusing anything malformed before it reaches a page.
 *
 * @module
 */

import { ApiError, LIMITS, readString, readUrlId } from "./protocol.ts";

/** The embed's options, validated. */
export interface ImageEmbedParams {
  tenant: string;
  urlId: string;
  src: string;
  alt: string;
  readonly: boolean;
  /** Undefined: detect from the page. */
  hasDarkBackground?: boolean;
  maxReplyDepth: number;
  chatSquarePercentage: number;
}

/**
 * Validates the embed query. `src` must be an http(s) URL or a path.
 *
 * @example
 * ```ts
 * parseImageEmbedParams(new URLSearchParams("tenant=demo&urlId=a&src=/a.png"));
 * ```
 */
export function parseImageEmbedParams(
  query: URLSearchParams,
): ImageEmbedParams {
  const raw = Object.fromEntries(query);
  const src = readString(raw, "src", 1, LIMITS.srcMax, { singleLine: true });
  if (!/^(https?:\/\/|\/)/i.test(src)) {
    throw new ApiError(
      "bad_request",
      `"src" must be an http(s) URL or a path.`,
      "src",
    );
  }
  const dark = query.get("dark");
  return {
    tenant: readString(raw, "tenant", 1, 64, { singleLine: true }),
    urlId: readUrlId(raw),
    src,
    alt: query.get("alt")?.slice(0, 500) ?? "",
    readonly: flag(query.get("readonly")),
    hasDarkBackground: dark === null ? undefined : flag(dark),
    maxReplyDepth: query.get("maxReplyDepth") === "1" ? 1 : 0,
    chatSquarePercentage: percentage(query.get("chatSquarePercentage")),
  };
}

function flag(value: string | null): boolean {
  return value === "1" || value === "true";
}

function percentage(value: string | null): number {
  const n = Number(value);
  return value !== null && Number.isFinite(n) && n >= 1 && n <= 25 ? n : 5;
}
