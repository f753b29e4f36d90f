import type { FreshContext } from "$fresh/server.ts";
import {
  BASE_SECURITY_HEADERS,
  contentSecurityPolicy,
  newNonce,
} from "../utils/csp.ts";
import { logRequest } from "../utils/log.ts";

/**
 * Security headers on every response, and a strict CSP on pages: each page
 * gets a fresh nonce for its boot script. Embed pages set
 * `ctx.state.frameAncestors` to the sites that may frame them.
 */
export async function handler(
  req: Request,
  ctx: FreshContext,
): Promise<Response> {
  const nonce = newNonce();
  ctx.state.cspNonce = nonce;
  const res = await logRequest(req, () => ctx.next());
  // A WebSocket upgrade's response has no headers to add to.
  if (res.status === 101) return res;
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) {
    res.headers.set(name, value);
  }
  if (res.headers.get("content-type")?.startsWith("text/html")) {
    const frameAncestors = ctx.state.frameAncestors;
    res.headers.set(
      "content-security-policy",
      contentSecurityPolicy({
        nonce,
        frameAncestors: Array.isArray(frameAncestors) ? frameAncestors : [],
      }),
    );
  }
  return res;
}
