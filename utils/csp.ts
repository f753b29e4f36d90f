/**
 * The security headers of Tack's own pages. Pages run no script but their
 * bundles and Fresh's boot script, which carries a fresh nonce per response;
 * styles may be inline because islands position markers with `style=`.
 * Normal pages cannot be framed; embed pages only by their tenant's sites.
 *
 * @module
 */

import { toBase64Url } from "./crypto.ts";

/**
 * A fresh nonce for one response's inline boot script.
 *
 * @example
 * ```ts
 * ctx.state.cspNonce = newNonce();
 * ```
 */
export function newNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** Options of {@linkcode contentSecurityPolicy}. */
export interface CspOptions {
  /** The nonce of the page's inline boot script. */
  nonce: string;
  /**
   * Sources that may frame the page.
   * @default [] (`frame-ancestors 'none'`)
   */
  frameAncestors?: string[];
}

/**
 * The `Content-Security-Policy` of a page.
 *
 * @example
 * ```ts
 * contentSecurityPolicy({ nonce, frameAncestors: ["https://blog.example"] });
 * // "default-src 'self'; script-src 'self' 'nonce-…'; …; frame-ancestors 'self' https://blog.example"
 * ```
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const ancestors = options.frameAncestors ?? [];
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    // Embeds show the site's own image, wherever it is hosted.
    "img-src * data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    ancestors.length > 0
      ? `frame-ancestors 'self' ${ancestors.join(" ")}`
      : "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Headers every response gets, whatever its type.
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) {
 *   res.headers.set(name, value);
 * }
 * ```
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};
