import type { Handlers } from "$fresh/server.ts";
import { json } from "../../../../utils/http.ts";
import { requireOwner } from "../../../../utils/owner_access.ts";
import { parseDayRange, readUsage } from "../../../../utils/usage.ts";

/**
 * `GET /api/v1/{tenant}/usage?from=YYYY-MM-DD&to=YYYY-MM-DD` → the tenant's
 * usage report (default: the last 30 days), for its admin key.
 */
export const handler: Handlers = {
  async GET(req, ctx) {
    const { tenant } = ctx.params;
    await requireOwner(req, tenant, ctx.remoteAddr);
    const query = new URL(req.url).searchParams;
    const range = parseDayRange(query.get("from"), query.get("to"));
    return json(await readUsage(tenant, range), 200, {
      "cache-control": "no-store",
    });
  },
};
