/**
 * Who may see a tenant's usage: whoever holds the tenant's admin key, and,
 * for the `demo` tenant only, anyone on this machine, so that a local
 * install can look at its dashboard without setting anything up.
 *
 * @module
 */

import { ADMIN_KEY_PREFIX, requireIdentity } from "./auth.ts";
import { DEMO_TENANT_ID } from "./db_tenants.ts";
import { ApiError } from "./protocol.ts";

/** True for an address of this machine. */
function isLoopback(addr: Deno.Addr): boolean {
  if (addr.transport !== "tcp" && addr.transport !== "udp") return false;
  const host = addr.hostname;
  return host === "::1" || host.startsWith("127.") ||
    host.startsWith("::ffff:127.");
}

/**
 * Lets the request through when it carries the tenant's admin key (as
 * `Authorization: Bearer …` or `?key=…`) or asks for `demo` from this
 * machine; throws 401 otherwise.
 *
 * @example
 * ```ts
 * await requireOwner(req, ctx.params.tenant, ctx.remoteAddr);
 * ```
 */
export async function requireOwner(
  req: Request,
  tenant: string,
  remoteAddr: Deno.Addr,
): Promise<void> {
  if (tenant === DEMO_TENANT_ID && isLoopback(remoteAddr)) return;
  const header = /^Bearer\s+(\S+)$/i.exec(
    req.headers.get("authorization")?.trim() ?? "",
  );
  const key = header?.[1] ?? new URL(req.url).searchParams.get("key") ?? "";
  if (!key.startsWith(ADMIN_KEY_PREFIX)) {
    throw new ApiError("unauthorized", "This needs the site's admin key.");
  }
  // The admin key is checked the way every API request's credential is.
  await requireIdentity(
    new Request(req.url, { headers: { authorization: `Bearer ${key}` } }),
    tenant,
  );
}
