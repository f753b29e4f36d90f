/**
 * Small helpers the API routes share: JSON responses, error responses and
 * reading a JSON body within the size limit.
 *
 * @module
 */

import { isOriginAllowed } from "./origins.ts";
import { LIMITS } from "./protocol.ts";
import { ApiError } from "./validation.ts";
import { RateLimitedError } from "./rate_limit.ts";

/**
 * A JSON response.
 *
 * @example
 * ```ts
 * return json({ chat, comment, seq }, 201);
 * ```
 */
export function json(
  data: unknown,
  status = 200,
  headers: HeadersInit = {},
): Response {
  const merged = new Headers(headers);
  merged.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(data), { status, headers: merged });
}

/**
 * The response for a thrown error: an ApiError as its status and body,
 * anything else as a 500 that reveals nothing about the cause.
 *
 * @example
 * ```ts
 * try { … } catch (err) { return errorResponse(err); }
 * ```
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof ApiError) {
    const headers: HeadersInit = err.code !== "rate_limited" ? {} : {
      "retry-after": String(
        err instanceof RateLimitedError ? err.retryAfterSeconds : 1,
      ),
    };
    return json(err.toJSON(), err.status, headers);
  }
  console.error(err);
  return json(
    { error: { code: "internal_error", message: "Something went wrong." } },
    500,
  );
}

/**
 * Reads a request's JSON body. Refuses bodies over `maxBytes` with 413
 * `too_large` while reading, whatever Content-Length claims, and malformed
 * JSON with 400 `bad_request`.
 *
 * @example
 * ```ts
 * const input = parseNewImageChat(await readJson(req));
 * ```
 */
export async function readJson(
  req: Request,
  /** @default LIMITS.bodyBytesMax (64 KiB) */
  maxBytes: number = LIMITS.bodyBytesMax,
): Promise<unknown> {
  const tooLarge = () =>
    new ApiError("too_large", `The body must be at most ${maxBytes} bytes.`);
  if (Number(req.headers.get("content-length")) > maxBytes) {
    await req.body?.cancel();
    throw tooLarge();
  }
  // A declared length is what the connection delivers, so the body is read
  // in one go; without one (chunked) it is counted while it streams in.
  const bytes = req.headers.has("content-length")
    ? new Uint8Array(await req.arrayBuffer())
    : await readAtMost(req, maxBytes, tooLarge);
  if (bytes.byteLength > maxBytes) throw tooLarge();
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError("bad_request", "The body must be valid JSON.", "body");
  }
}

async function readAtMost(
  req: Request,
  maxBytes: number,
  tooLarge: () => ApiError,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Methods and headers a browser may use on the API from another origin. */
const CORS_ALLOW = {
  "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers": "authorization, content-type",
  "access-control-max-age": "86400",
};

/**
 * Adds CORS headers to an API response when `origin` matches one of the
 * tenant's origin patterns (see `origins.ts`); other sites get none, so
 * their pages cannot read the answer. Tokens travel in the Authorization
 * header, never in cookies, so no credentials are allowed.
 *
 * @example
 * ```ts
 * return withCors(res, req.headers.get("origin"), tenant.origins);
 * ```
 */
export function withCors(
  res: Response,
  origin: string | null,
  allowed: string[],
): Response {
  if (!origin || res.status === 101) return res;
  if (!isOriginAllowed(origin, allowed)) return res;
  res.headers.set("access-control-allow-origin", origin);
  res.headers.append("vary", "Origin");
  if (res.status === 204) {
    for (const [name, value] of Object.entries(CORS_ALLOW)) {
      res.headers.set(name, value);
    }
  }
  return res;
}

/**
 * The answer to a CORS preflight (`OPTIONS`); `withCors` adds the headers.
 *
 * @example
 * ```ts
 * if (req.method === "OPTIONS") return withCors(preflight(), origin, []);
 * ```
 */
export function preflight(): Response {
  return new Response(null, { status: 204 });
}
