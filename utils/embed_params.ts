/**
 * Reads the query of the iframe embeds into island options, refusing anything
 * malformed before it reaches a page: the options every embed shares, and
 * those of the Image Chat embed
 * (`/embed/image?tenant=T&urlId=U&src=IMG[&readonly=1&dark=1…]`).
 *
 * @module
 */

import { LIMITS } from "./protocol.ts";
import { ApiError, readString, readUrlId } from "./validation.ts";

/** The options every embed takes: which room, and how it looks. */
export interface EmbedRoomParams {
  tenant: string;
  urlId: string;
  readonly: boolean;
  /** Undefined: detect from the page. */
  hasDarkBackground?: boolean;
}

/** The Image Chat embed's options, validated. */
export interface ImageEmbedParams extends EmbedRoomParams {
  src: string;
  alt: string;
  maxReplyDepth: number;
  chatSquarePercentage: number;
}

/**
 * Validates the options every embed shares (`tenant`, `urlId`, `readonly`,
 * `dark`).
 *
 * @example
 * ```ts
 * parseEmbedRoomParams(new URLSearchParams("tenant=demo&urlId=a&dark=1"));
 * // { tenant: "demo", urlId: "a", readonly: false, hasDarkBackground: true }
 * ```
 */
export function parseEmbedRoomParams(query: URLSearchParams): EmbedRoomParams {
  const raw = Object.fromEntries(query);
  const dark = query.get("dark");
  return {
    tenant: readString(raw, "tenant", 1, 64, { singleLine: true }),
    urlId: readUrlId(raw),
    readonly: flag(query.get("readonly")),
    hasDarkBackground: dark === null ? undefined : flag(dark),
  };
}

/**
 * Parses a request's embed query with `parse`; a malformed query becomes a
 * plain-text 400 response, since an iframe has no client to read JSON errors.
 *
 * @example
 * ```ts
 * const params = readEmbedQuery(req, parseImageEmbedParams);
 * if (params instanceof Response) return params;
 * ```
 */
export function readEmbedQuery<T>(
  req: Request,
  parse: (query: URLSearchParams) => T,
): T | Response {
  try {
    return parse(new URL(req.url).searchParams);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return new Response(`Tack embed: ${error.message}`, {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
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
  return {
    ...parseEmbedRoomParams(query),
    src,
    alt: query.get("alt")?.slice(0, 500) ?? "",
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
