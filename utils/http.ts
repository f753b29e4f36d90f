/**
 * Small helpers the API routes share: JSON responses, error responses and
 * reading a JSON body within the size limit.
 *
 * @module
 */

import { ApiError, LIMITS } from "./protocol.ts";

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
    const headers: HeadersInit = err.code === "rate_limited"
      ? { "retry-after": "1" }
      : {};
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
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError("bad_request", "The body must be valid JSON.", "body");
  }
}
