/**
 * Moderation state: banned users and locked (read-only) rooms, and the check
 * every room write makes against them. The check returns the entries it
 * read, so the write can make them part of its atomic operation: a ban or a
 * lock that lands while a write is in flight makes that write retry and be
 * refused.
 *
 * @module
 */

import { getKv, keys, retryContention } from "./db_kv.ts";
import { type User } from "./protocol.ts";
import { ApiError } from "./validation.ts";

/** Who writes: a user, maybe with moderator rights. */
export interface Writer extends User {
  moderator?: boolean;
}

/** A ban as stored. */
export interface Ban {
  userId: string;
  at: number;
  by: string;
}

/** A room lock as stored. */
export interface RoomLock {
  urlId: string;
  at: number;
  by: string;
}

/**
 * Bans a user id from writing on a tenant; banning twice keeps the first.
 *
 * @example
 * ```ts
 * await banUser("demo", "sso:42", "admin");
 * ```
 */
export async function banUser(
  tenant: string,
  userId: string,
  by: string,
): Promise<void> {
  const kv = await getKv();
  const key = keys.ban(tenant, userId);
  const ban: Ban = { userId, at: Date.now(), by };
  await retryContention(() =>
    kv.atomic().check({ key, versionstamp: null }).set(key, ban).commit()
  );
}

/**
 * Lifts a ban; lifting one that does not exist does nothing.
 *
 * @example
 * ```ts
 * await unbanUser("demo", "sso:42");
 * ```
 */
export async function unbanUser(tenant: string, userId: string): Promise<void> {
  const kv = await getKv();
  await retryContention(() => kv.delete(keys.ban(tenant, userId)));
}

/**
 * The bans of a tenant, oldest user id first.
 *
 * @example
 * ```ts
 * const bans = await listBans("demo");
 * ```
 */
export async function listBans(tenant: string): Promise<Ban[]> {
  const kv = await getKv();
  const entries = kv.list<Ban>({ prefix: keys.bans(tenant) });
  return (await Array.fromAsync(entries)).map((entry) => entry.value);
}

/**
 * True when a user id is banned.
 *
 * @example
 * ```ts
 * if (await isBanned("demo", userId)) refuse();
 * ```
 */
export async function isBanned(
  tenant: string,
  userId: string,
): Promise<boolean> {
  const kv = await getKv();
  return (await kv.get(keys.ban(tenant, userId))).value !== null;
}

/**
 * Locks a room (read-only for everyone but moderators) or unlocks it.
 *
 * @example
 * ```ts
 * await setRoomLocked("demo", "demo-image", true, "admin");
 * ```
 */
export async function setRoomLocked(
  tenant: string,
  urlId: string,
  locked: boolean,
  by: string,
): Promise<void> {
  const kv = await getKv();
  const key = keys.roomLock(tenant, urlId);
  const lock: RoomLock = { urlId, at: Date.now(), by };
  await retryContention(async () => {
    if (locked) await kv.set(key, lock);
    else await kv.delete(key);
  });
}

/**
 * The locked rooms of a tenant, in key order (by a hash of the room id).
 *
 * @example
 * ```ts
 * const urlIds = (await listRoomLocks("demo")).map((lock) => lock.urlId);
 * ```
 */
export async function listRoomLocks(tenant: string): Promise<RoomLock[]> {
  const kv = await getKv();
  const entries = kv.list<RoomLock>({ prefix: keys.roomLocks(tenant) });
  return (await Array.fromAsync(entries)).map((entry) => entry.value);
}

/**
 * True when a room is locked.
 *
 * @example
 * ```ts
 * const locked = await isRoomLocked("demo", "demo-image");
 * ```
 */
export async function isRoomLocked(
  tenant: string,
  urlId: string,
): Promise<boolean> {
  const kv = await getKv();
  return (await kv.get(keys.roomLock(tenant, urlId))).value !== null;
}

/**
 * The entries a write to a room by `writerId` depends on: its ban and the
 * room's lock, for {@linkcode assertWriteAllowed}. A room write reads them
 * in the same `getMany` as its other reads.
 *
 * @example
 * ```ts
 * const [ban, lock] = await kv.getMany(writeGuardKeys("demo", urlId, userId));
 * ```
 */
export function writeGuardKeys(
  tenant: string,
  urlId: string,
  writerId: string,
): [ban: Deno.KvKey, lock: Deno.KvKey] {
  return [keys.ban(tenant, writerId), keys.roomLock(tenant, urlId)];
}

/**
 * Refuses a write by a banned user (403 `forbidden`), or by anyone but a
 * moderator when the room is locked, given the entries read at
 * {@linkcode writeGuardKeys}. Returns them, for the write's atomic checks.
 *
 * @example
 * ```ts
 * const checks = assertWriteAllowed(entries.slice(1, 3), actor);
 * ```
 */
export function assertWriteAllowed(
  [ban, lock]: Deno.KvEntryMaybe<unknown>[],
  writer: Writer,
): Deno.AtomicCheck[] {
  if (ban.value !== null) {
    throw new ApiError("forbidden", "You are banned from writing here.");
  }
  if (lock.value !== null && !writer.moderator) {
    throw new ApiError(
      "forbidden",
      "This discussion is locked: it is read-only.",
    );
  }
  return [ban, lock];
}

/**
 * Reads the ban and lock entries and applies {@linkcode assertWriteAllowed}.
 *
 * @example
 * ```ts
 * const checks = await checkWriteAllowed("demo", chat.urlId, actor);
 * return { checks: [entry, ...checks], mutate, event, result };
 * ```
 */
export async function checkWriteAllowed(
  tenant: string,
  urlId: string,
  writer: Writer,
): Promise<Deno.AtomicCheck[]> {
  const kv = await getKv();
  const entries = await kv.getMany(writeGuardKeys(tenant, urlId, writer.id));
  return assertWriteAllowed(entries, writer);
}
