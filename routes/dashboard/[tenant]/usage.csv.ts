import type { Handlers } from "$fresh/server.ts";
import { getTenant } from "../../../utils/db_tenants.ts";
import { requireOwner } from "../../../utils/owner_access.ts";
import {
  parseDayRange,
  readUsage,
  usageCsv,
  usageCsvFileName,
} from "../../../utils/usage.ts";
import { ApiError } from "../../../utils/validation.ts";

/**
 * `GET /dashboard/{tenant}/usage.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the
 * dashboard's daily usage as a CSV download (default: the last 30 days), for
 * the owner, who is signed in by the dashboard's cookie (its path covers
 * this one) or sends the admin key. A refusal is one line of plain text.
 */
export const handler: Handlers = {
  async GET(req, ctx) {
    const { tenant } = ctx.params;
    if (!await getTenant(tenant)) return ctx.renderNotFound();
    try {
      await requireOwner(req, tenant, ctx.remoteAddr);
      const query = new URL(req.url).searchParams;
      const range = parseDayRange(query.get("from"), query.get("to"));
      const report = await readUsage(tenant, range, 0);
      return new Response(usageCsv(report), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${
            usageCsvFileName(report)
          }"`,
          "cache-control": "no-store",
        },
      });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return new Response(`${err.message}\n`, {
        status: err.status,
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "cache-control": "no-store",
        },
      });
    }
  },
};
