/**
 * Inputs of the Collab Chat iframe embed
 * (`/embed/text?tenant=T&urlId=U&src=/docs/NAME.html[&readonly=1&dark=1]`):
 * the validated query, and the hosted document it shows. Documents are HTML
 * fragments served from this server's `static/docs/`; `src` names one by its
 * path, so the embed never fetches or renders markup from elsewhere.
 *
 * @module
 */

import { type EmbedRoomParams, parseEmbedRoomParams } from "./embed_params.ts";
import { ApiError } from "./validation.ts";

/** The embed's options, validated. */
export interface TextEmbedParams extends EmbedRoomParams {
  /** Path of the document, e.g. `/docs/marginalia.html`. */
  src: string;
}

/** The document shown when the query names none. */
export const DEFAULT_DOCUMENT = "/docs/marginalia.html";

const DOCS_DIR = new URL("../static/docs/", import.meta.url);
const DOCUMENT_PATH = /^\/docs\/([a-z0-9][a-z0-9_-]*)\.html$/i;

/**
 * Validates the embed query; `src` must be a document path under `/docs/`.
 *
 * @example
 * ```ts
 * parseTextEmbedParams(new URLSearchParams("tenant=demo&urlId=essay"));
 * // { tenant: "demo", urlId: "essay", src: "/docs/marginalia.html", readonly: false, … }
 * ```
 */
export function parseTextEmbedParams(query: URLSearchParams): TextEmbedParams {
  const src = query.get("src") || DEFAULT_DOCUMENT;
  if (!DOCUMENT_PATH.test(src)) {
    throw new ApiError(
      "bad_request",
      `"src" must be a document path such as ${DEFAULT_DOCUMENT}.`,
      "src",
    );
  }
  return { ...parseEmbedRoomParams(query), src };
}

/**
 * The HTML of a hosted document, by its path; null when there is none.
 *
 * @example
 * ```ts
 * const html = await loadDocument("/docs/marginalia.html");
 * ```
 */
export async function loadDocument(src: string): Promise<string | null> {
  const name = DOCUMENT_PATH.exec(src)?.[1];
  if (!name) return null;
  try {
    return await Deno.readTextFile(new URL(`${name}.html`, DOCS_DIR));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
