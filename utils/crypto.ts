/**
 * The small set of cryptographic helpers the server needs: base64url, random
 * secrets, SHA-256 and HMAC-SHA256 in hex, and a constant-time comparison.
 * All of it is Web Crypto.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Bytes as unpadded base64url.
 *
 * @example
 * ```ts
 * toBase64Url(new Uint8Array([255, 254])); // "__4"
 * ```
 */
export function toBase64Url(bytes: Uint8Array): string {
  return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
}

/**
 * Unpadded base64url back to bytes; null for text that is not base64url.
 *
 * @example
 * ```ts
 * fromBase64Url("__4"); // Uint8Array [255, 254]
 * ```
 */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null; // a length no base64 text can have
  }
}

/**
 * A fresh random secret: `bytes` random bytes as base64url.
 *
 * @example
 * ```ts
 * const key = randomSecret(); // 43 characters
 * ```
 */
export function randomSecret(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(
    new Uint8Array(buffer),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/**
 * SHA-256 of a text's UTF-8 bytes, in lower-case hex.
 *
 * @example
 * ```ts
 * await sha256Hex("abc"); // "ba7816bf…"
 * ```
 */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * HMAC-SHA256 of `message` keyed with `secret` (both UTF-8), in lower-case
 * hex.
 *
 * @example
 * ```ts
 * await hmacSha256Hex("key", "message");
 * ```
 */
export async function hmacSha256Hex(
  secret: string,
  message: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/**
 * Compares two strings in time that depends only on their length, so that a
 * guess at a secret learns nothing from how long a refusal takes.
 *
 * @example
 * ```ts
 * timingSafeEqual(presentedHash, storedHash);
 * ```
 */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return difference === 0;
}
