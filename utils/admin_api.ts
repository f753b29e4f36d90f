/**
 * The moderation API's request handling, shared by the `admin/` route files.
 * Every handler needs a moderator: a session signed in by SSO with
 * `moderator: true`, or the tenant's admin key as the bearer token.
 *
 * @module
 */

import { requireModerator } from "./auth.ts";
import {
  banUser,
  listBans,
  setRoomLocked,
  unbanUser,
} from "./db_moderation.ts";
import { revokeSessions } from "./db_tenants.ts";
import { json, readJson } from "./http.ts";
import { ApiError, asObject, readString, readUrlId } from "./validation.ts";

/** Longest user id an admin request names (`sso:` plus a site id). */
const USER_ID_MAX = 140;

/**
 * The `userId` of an admin request's body: one line, 1–140 characters;
 * throws 400 `bad_request` otherwise.
 *
 * @example
 * ```ts
 * const userId = readUserId({ userId: "sso:42" }); // "sso:42"
 * ```
 */
export function readUserId(body: unknown): string {
  return readString(asObject(body), "userId", 1, USER_ID_MAX, {
    singleLine: true,
  });
}

/**
 * `POST /admin/rooms/lock {urlId, locked}` → `{ urlId, locked }`: makes a
 * room read-only (or writable again) for everyone but moderators.
 *
 * @example
 * ```ts
 * POST: (req, ctx) => postRoomLock(req, ctx.params.tenant),
 * ```
 */
export async function postRoomLock(
  req: Request,
  tenant: string,
): Promise<Response> {
  const moderator = await requireModerator(req, tenant);
  const body = asObject(await readJson(req));
  const urlId = readUrlId(body);
  if (typeof body.locked !== "boolean") {
    throw new ApiError("bad_request", `"locked" must be a boolean.`, "locked");
  }
  await setRoomLocked(tenant, urlId, body.locked, moderator.id);
  return json({ urlId, locked: body.locked });
}

/**
 * `GET /admin/bans` → `{ bans }`.
 *
 * @example
 * ```ts
 * GET: (req, ctx) => getBans(req, ctx.params.tenant),
 * ```
 */
export async function getBans(req: Request, tenant: string): Promise<Response> {
  await requireModerator(req, tenant);
  return json({ bans: await listBans(tenant) });
}

/**
 * `POST /admin/bans {userId}` → 201 `{ userId, banned: true }`: the user's
 * writes are refused from now on.
 *
 * @example
 * ```ts
 * POST: (req, ctx) => postBan(req, ctx.params.tenant),
 * ```
 */
export async function postBan(req: Request, tenant: string): Promise<Response> {
  const moderator = await requireModerator(req, tenant);
  const userId = readUserId(await readJson(req));
  await banUser(tenant, userId, moderator.id);
  return json({ userId, banned: true }, 201);
}

/**
 * `DELETE /admin/bans {userId}` → `{ userId, banned: false }`.
 *
 * @example
 * ```ts
 * DELETE: (req, ctx) => deleteBan(req, ctx.params.tenant),
 * ```
 */
export async function deleteBan(
  req: Request,
  tenant: string,
): Promise<Response> {
  await requireModerator(req, tenant);
  const userId = readUserId(await readJson(req));
  await unbanUser(tenant, userId);
  return json({ userId, banned: false });
}

/**
 * `POST /admin/sessions/revoke {userId}` → `{ userId, revokedAt }`: every
 * token the user holds stops working; a new session works.
 *
 * @example
 * ```ts
 * POST: (req, ctx) => postRevokeSessions(req, ctx.params.tenant),
 * ```
 */
export async function postRevokeSessions(
  req: Request,
  tenant: string,
): Promise<Response> {
  await requireModerator(req, tenant);
  const userId = readUserId(await readJson(req));
  const revokedAt = Date.now();
  await revokeSessions(tenant, userId, revokedAt);
  return json({ userId, revokedAt });
}
