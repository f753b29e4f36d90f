import type { FreshContext } from "$fresh/server.ts";
import { getTenant } from "../../../../utils/db_tenants.ts";
import { errorResponse, preflight, withCors } from "../../../../utils/http.ts";
import { ApiError } from "../../../../utils/protocol.ts";

/**
 * Every API request of a tenant: unknown tenants get 404, CORS preflights
 * are answered, and errors thrown by routes become JSON error responses.
 */
export async function handler(
  req: Request,
  ctx: FreshContext,
): Promise<Response> {
  // Read before ctx.next(): once a WebSocket upgrade has taken the request,
  // its headers can no longer be read.
  const origin = req.headers.get("origin");
  let allowedOrigins: string[] = [];
  let res: Response;
  try {
    const tenant = await getTenant(ctx.params.tenant);
    if (!tenant) throw new ApiError("not_found", "No such tenant.");
    allowedOrigins = tenant.origins;
    res = req.method === "OPTIONS" ? preflight() : await ctx.next();
  } catch (err) {
    res = errorResponse(err);
  }
  return withCors(res, origin, allowedOrigins);
}
