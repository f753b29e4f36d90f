/**
 * The owner's dashboard session: after the admin key is checked once, a
 * cookie holds a signed token instead, so that the key does not stay in the
 * address bar and history. The token names a hash of the admin key it was
 * issued for, so rotating the key ends every session.
 *
 * @module
 */

import { signToken, verifyToken } from "./auth.ts";
import type { Tenant } from "./db_tenants.ts";

/** The cookie's name. */
export const OWNER_COOKIE = "tack_owner";

/** How long an owner session lasts: a working day. */
export const OWNER_SESSION_MS = 12 * 60 * 60 * 1000;

/** The path the cookie is sent to: the tenant's dashboard and nothing else. */
export function dashboardPath(tenant: string): string {
  return `/dashboard/${tenant}`;
}

/** The user id an owner token carries, bound to the current admin key. */
function ownerUserId(tenant: Tenant): string | null {
  return tenant.adminKeyHash
    ? `owner:${tenant.adminKeyHash.slice(0, 16)}`
    : null;
}

/**
 * A `Set-Cookie` value starting an owner session on `tenant`'s dashboard:
 * HttpOnly, `SameSite=Strict`, limited to the dashboard's path, `Secure` on
 * https. Null for a tenant without an admin key.
 *
 * @example
 * ```ts
 * const cookie = await ownerSessionCookie(tenant, req.url);
 * if (cookie) headers.set("set-cookie", cookie);
 * ```
 */
export async function ownerSessionCookie(
  tenant: Tenant,
  requestUrl: string,
  now: number = Date.now(),
): Promise<string | null> {
  const userId = ownerUserId(tenant);
  if (!userId) return null;
  const token = await signToken({
    tenant: tenant.id,
    userId,
    name: "Owner",
    iat: now,
    exp: now + OWNER_SESSION_MS,
    scope: "owner",
  });
  const secure = new URL(requestUrl).protocol === "https:" ? "; Secure" : "";
  return `${OWNER_COOKIE}=${token}; Path=${dashboardPath(tenant.id)}; ` +
    `Max-Age=${OWNER_SESSION_MS / 1000}; HttpOnly; SameSite=Strict${secure}`;
}

/** The value of one cookie of a request, or null. */
function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return null;
}

/**
 * True when the request carries a genuine, unexpired owner session of
 * `tenant` issued for its current admin key.
 *
 * @example
 * ```ts
 * if (await hasOwnerSession(req, tenant)) return; // no key needed
 * ```
 */
export async function hasOwnerSession(
  req: Request,
  tenant: Tenant,
  now: number = Date.now(),
): Promise<boolean> {
  const token = readCookie(req, OWNER_COOKIE);
  const userId = ownerUserId(tenant);
  if (!token || !userId) return false;
  const claims = await verifyToken(token, now);
  return claims?.scope === "owner" && claims.tenant === tenant.id &&
    claims.userId === userId;
}
