import type { FreshContext } from "$fresh/server.ts";
import { getCachedTenant, getTenant } from "../../../../utils/db_tenants.ts";
import { errorResponse, preflight, withCors } from "../../../../utils/http.ts";
import { ApiError } from "../../../../utils/validation.ts";
import {
  clientIp,
  originMayWrite,
  requestGuard,
} from "../../../../utils/request_guard.ts";

/**
 * Every API request of a tenant: unknown tenants get 404, CORS preflights
 * are answered, writes and WebSocket handshakes pass the origin check and
 * the per-IP rate limits, and errors thrown by routes become JSON error
 * responses.
 */
export async function handler(
  req: Request,
  ctx: FreshContext,
): Promise<Response> {
  // Read before ctx.next(): once a WebSocket upgrade has taken the request,
  // its headers can no longer be read.
  const origin = req.headers.get("origin");
  const upgrade = req.headers.get("upgrade")?.toLowerCase() === "websocket";
  let allowedOrigins: string[] = [];
  let res: Response;
  try {
    // Unmatched URLs reach this middleware by prefix, without parameters.
    if (ctx.params.tenant === undefined) {
      throw new ApiError("not_found", "No such endpoint.");
    }
    let tenant = await getCachedTenant(ctx.params.tenant);
    if (!tenant) throw new ApiError("not_found", "No such tenant.");
    if (!originMayWrite(origin, req.url, tenant)) {
      // The cached record may predate the origin being added: confirm.
      tenant = await getTenant(ctx.params.tenant) ?? tenant;
    }
    allowedOrigins = tenant.origins;
    if (req.method === "OPTIONS") {
      res = preflight();
    } else {
      const ip = clientIp(ctx.remoteAddr);
      requestGuard.check(
        { method: req.method, url: req.url, origin, upgrade, ip },
        tenant,
      );
      res = await ctx.next();
    }
  } catch (err) {
    res = errorResponse(err);
  }
  return withCors(res, origin, allowedOrigins);
}
