/**
 * Splits user text into plain runs and web links, so the UI can render links
 * as anchors while everything else stays text (never HTML).
 *
 * @module
 */

/** A run of user text: plain, or an http(s) link. */
export type TextPart =
  | { kind: "text"; text: string }
  | { kind: "link"; text: string; href: string };

// Stops at whitespace and at characters that cannot end a URL in prose.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]]+$/;

/**
 * Finds the http(s) links in `text`. Punctuation that ends a sentence is not
 * part of a link, and a closing parenthesis only when the link opened one.
 *
 * @example
 * ```ts
 * linkify("see https://example.com.");
 * // [{ kind: "text", text: "see " },
 * //  { kind: "link", text: "https://example.com", href: "https://example.com/" },
 * //  { kind: "text", text: "." }]
 * ```
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = url.match(TRAILING_PUNCTUATION)?.[0] ?? "";
    url = url.slice(0, url.length - trailing.length);
    if (trailing.startsWith(")") && url.includes("(")) url += ")";
    const href = safeHref(url);
    if (!href) continue;
    if (match.index > last) {
      parts.push({ kind: "text", text: text.slice(last, match.index) });
    }
    parts.push({ kind: "link", text: url, href });
    last = match.index + url.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:"
      ? parsed.href
      : null;
  } catch {
    return null;
  }
}
