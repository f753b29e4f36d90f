/**
 * Who may see and manage a tenant's dashboard: whoever holds the tenant's
 * admin key (or the owner session it started, see `owner_session.ts`), and,
 * for the `demo` tenant only, anyone on this machine, so that a local
 * install can look at its dashboard without setting anything up. Changes
 * must also come from Tack's own pages.
 *
 * @module
 */

import { ADMIN_KEY_PREFIX, requireIdentity } from "./auth.ts";
import { DEMO_TENANT_ID, getTenant } from "./db_tenants.ts";
import { hasOwnerSession } from "./owner_session.ts";
import { ApiError } from "./validation.ts";

/** True for an address of this machine. */
function isLoopback(addr: Deno.Addr): boolean {
  if (addr.transport !== "tcp" && addr.transport !== "udp") return false;
  const host = addr.hostname;
  return host === "::1" || host.startsWith("127.") ||
    host.startsWith("::ffff:127.");
}

/**
 * Throws 401 unless `key` is the tenant's admin key.
 *
 * @example
 * ```ts
 * await requireAdminKey(url.searchParams.get("key") ?? "", "acme");
 * ```
 */
export async function requireAdminKey(
  key: string,
  tenant: string,
): Promise<void> {
  if (!key.startsWith(ADMIN_KEY_PREFIX)) {
    throw new ApiError("unauthorized", "This needs the site's admin key.");
  }
  // The admin key is checked the way every API request's credential is.
  await requireIdentity(
    new Request("http://tack.invalid/", {
      headers: { authorization: `Bearer ${key}` },
    }),
    tenant,
  );
}

/**
 * Lets the request through when it carries the tenant's admin key (as
 * `Authorization: Bearer …` or `?key=…`) or an owner session cookie, or asks
 * for `demo` from this machine; throws 401 otherwise.
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
  const key = header?.[1] ?? new URL(req.url).searchParams.get("key");
  if (key === null) {
    const record = await getTenant(tenant);
    if (record && await hasOwnerSession(req, record)) return;
  }
  await requireAdminKey(key ?? "", tenant);
}

/**
 * Refuses (403) a change whose `Origin` is missing or is not Tack's own:
 * with the owner session's `SameSite=Strict` cookie, this keeps other sites
 * from submitting the dashboard's forms (and, for `demo`, from using the
 * open access from this machine).
 *
 * @example
 * ```ts
 * requireSameOrigin(req); // before any POST of the dashboard
 * ```
 */
export function requireSameOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  // Compared by host: behind a TLS proxy the server may see http:// itself.
  let sameHost = false;
  try {
    sameHost = origin !== null && origin !== "null" &&
      new URL(origin).host === new URL(req.url).host;
  } catch {
    // Not a URL: refused below.
  }
  if (!sameHost) {
    throw new ApiError(
      "forbidden",
      "Changes are made from Tack's own dashboard page only.",
      "origin",
    );
  }
}
