import type { FreshContext } from "$fresh/server.ts";
import { getTenant } from "../../utils/db_tenants.ts";
import { frameAncestorSources } from "../../utils/origins.ts";

/**
 * Embed pages may be framed by their tenant's sites only: the root
 * middleware turns `ctx.state.frameAncestors` into CSP `frame-ancestors`.
 * An unknown tenant leaves it empty, so nobody may frame the page.
 */
export async function handler(
  req: Request,
  ctx: FreshContext,
): Promise<Response> {
  const id = new URL(req.url).searchParams.get("tenant");
  const tenant = id ? await getTenant(id) : null;
  ctx.state.frameAncestors = frameAncestorSources(tenant?.origins ?? []);
  return await ctx.next();
}
