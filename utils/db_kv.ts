/**
 * Opening Deno KV and the key of every record: the one place that spells
 * keys. Only the store modules (`db.ts`, `db_tenants.ts`, `db_chats.ts`)
 * import this; everything else goes through them.
 *
 * @module
 */

import { createHash } from "node:crypto";

// ---------------------------------------------------------------------------
// Opening

let kvPromise: Promise<Deno.Kv> | undefined;

/** Where KV lives when `DENO_KV_PATH` is not set. */
const DEFAULT_KV_PATH = "./data/tack.kv";

/**
 * The local file KV lives in, or null when it lives elsewhere: on Deno
 * Deploy, in memory (`:memory:`) or behind a KV Connect URL.
 *
 * @example
 * ```ts
 * const path = localKvPath(); // "./data/tack.kv" unless configured
 * ```
 */
export function localKvPath(
  env: Pick<typeof Deno.env, "get"> = Deno.env,
): string | null {
  if (env.get("DENO_DEPLOYMENT_ID")) return null;
  const path = env.get("DENO_KV_PATH") || DEFAULT_KV_PATH;
  return path === ":memory:" || /^https?:\/\//.test(path) ? null : path;
}

async function openKv(): Promise<Deno.Kv> {
  // On Deno Deploy the platform provides the database.
  if (Deno.env.get("DENO_DEPLOYMENT_ID")) return await Deno.openKv();
  const file = localKvPath();
  const slash = file?.lastIndexOf("/") ?? -1;
  if (file && slash > 0) {
    await Deno.mkdir(file.slice(0, slash), { recursive: true });
  }
  return await Deno.openKv(file ?? Deno.env.get("DENO_KV_PATH"));
}

/**
 * The isolate's KV database, opened on first use. `DENO_KV_PATH` selects a
 * file, `:memory:` or a KV Connect URL; the default is a file under `./data/`.
 *
 * @example
 * ```ts
 * const kv = await getKv();
 * ```
 */
export function getKv(): Promise<Deno.Kv> {
  kvPromise ??= openKv();
  return kvPromise;
}

/**
 * Closes the database; the next `getKv()` opens it again. For tests.
 *
 * @example
 * ```ts
 * await closeKv();
 * ```
 */
export async function closeKv(): Promise<void> {
  const pending = kvPromise;
  kvPromise = undefined;
  if (pending) (await pending).close();
}

// ---------------------------------------------------------------------------
// Keys: the only place that spells them.

/**
 * A room's id inside keys. A `urlId` may hold up to 1,024 characters of any
 * script, which can exceed KV's 2 KiB key limit, so keys use its SHA-256.
 */
function roomPart(urlId: string): string {
  let part = roomParts.get(urlId);
  if (part === undefined) {
    part = createHash("sha256").update(urlId).digest("base64url");
    // Hashing took a measurable share of a busy server's time; a room's
    // keys are spelled many times per write. Bounded: cleared when full.
    if (roomParts.size >= MAX_ROOM_PARTS) roomParts.clear();
    roomParts.set(urlId, part);
  }
  return part;
}

const MAX_ROOM_PARTS = 10_000;
const roomParts = new Map<string, string>();

/** Every KV key of the app. Only the store modules use these. */
export const keys = {
  tenant: (id: string): Deno.KvKey => ["tenants", id],
  user: (tenant: string, userId: string): Deno.KvKey => [
    "users",
    tenant,
    userId,
  ],
  sessionSecret: (): Deno.KvKey => ["secrets", "session"],
  /** Tokens of this user issued at or before the stored time are void. */
  sessionsRevoked: (tenant: string, userId: string): Deno.KvKey => [
    "sessions_revoked",
    tenant,
    userId,
  ],
  /** A verification hash of an SSO payload already exchanged. */
  ssoUsed: (tenant: string, verificationHash: string): Deno.KvKey => [
    "sso_used",
    tenant,
    verificationHash,
  ],
  bans: (tenant: string): Deno.KvKey => ["bans", tenant],
  ban: (tenant: string, userId: string): Deno.KvKey => [
    ...keys.bans(tenant),
    userId,
  ],
  roomLocks: (tenant: string): Deno.KvKey => ["room_locks", tenant],
  roomLock: (tenant: string, urlId: string): Deno.KvKey => [
    ...keys.roomLocks(tenant),
    roomPart(urlId),
  ],
  chat: (tenant: string, chatId: string): Deno.KvKey => [
    "chats",
    tenant,
    chatId,
  ],
  roomChats: (tenant: string, urlId: string): Deno.KvKey => [
    "chats_by_room",
    tenant,
    roomPart(urlId),
  ],
  roomChat: (tenant: string, urlId: string, chatId: string): Deno.KvKey => [
    ...keys.roomChats(tenant, urlId),
    chatId,
  ],
  comments: (tenant: string, chatId: string): Deno.KvKey => [
    "comments",
    tenant,
    chatId,
  ],
  comment: (tenant: string, chatId: string, commentId: string): Deno.KvKey => [
    ...keys.comments(tenant, chatId),
    commentId,
  ],
  roomSeq: (tenant: string, urlId: string): Deno.KvKey => [
    "room_seq",
    tenant,
    roomPart(urlId),
  ],
  events: (tenant: string, urlId: string): Deno.KvKey => [
    "events",
    tenant,
    roomPart(urlId),
  ],
  event: (tenant: string, urlId: string, seq: number): Deno.KvKey => [
    ...keys.events(tenant, urlId),
    seq,
  ],
  presence: (tenant: string, urlId: string): Deno.KvKey => [
    "presence",
    tenant,
    roomPart(urlId),
  ],
  presenceEntry: (
    tenant: string,
    urlId: string,
    isolateId: string,
  ): Deno.KvKey => [...keys.presence(tenant, urlId), isolateId],
  presenceRev: (tenant: string, urlId: string): Deno.KvKey => [
    "presence_rev",
    tenant,
    roomPart(urlId),
  ],
  /** An isolate's heartbeat: while it lasts, its presence entries count. */
  isolateBeat: (isolateId: string): Deno.KvKey => ["isolate_beats", isolateId],
  /** A tenant's usage: `[…, day, metric]` → `Deno.KvU64`. */
  usage: (tenant: string): Deno.KvKey => ["usage", tenant],
  usageMetric: (tenant: string, day: string, metric: string): Deno.KvKey => [
    ...keys.usage(tenant),
    day,
    metric,
  ],
  /** Usage per room: `[…, day, room, metric]` → `Deno.KvU64`. */
  roomUsage: (tenant: string): Deno.KvKey => ["usage_by_room", tenant],
  roomUsageMetric: (
    tenant: string,
    day: string,
    urlId: string,
    metric: string,
  ): Deno.KvKey => [...keys.roomUsage(tenant), day, roomPart(urlId), metric],
  /** The urlId of a room, for reports that read the room's part of a key. */
  roomName: (tenant: string, urlId: string): Deno.KvKey =>
    keys.roomNameOfPart(tenant, roomPart(urlId)),
  roomNameOfPart: (tenant: string, part: Deno.KvKeyPart): Deno.KvKey => [
    "room_names",
    tenant,
    part,
  ],
  /** One isolate's viewers over all rooms of a tenant, for peak counts. */
  tenantViewers: (tenant: string): Deno.KvKey => ["tenant_viewers", tenant],
  tenantViewersEntry: (tenant: string, isolateId: string): Deno.KvKey => [
    ...keys.tenantViewers(tenant),
    isolateId,
  ],
};

/**
 * The key of a room's sequence number; the hub watches it to learn of new
 * events.
 *
 * @example
 * ```ts
 * const [entry] = kv.watch([roomSeqKey("demo", "demo-image")]);
 * ```
 */
export function roomSeqKey(tenant: string, urlId: string): Deno.KvKey {
  return keys.roomSeq(tenant, urlId);
}

/**
 * The key bumped whenever a room's viewer count may have changed; the hub
 * watches it.
 *
 * @example
 * ```ts
 * kv.watch([presenceRevKey("demo", "demo-image")]);
 * ```
 */
export function presenceRevKey(tenant: string, urlId: string): Deno.KvKey {
  return keys.presenceRev(tenant, urlId);
}

/**
 * Isolates of one process (`deno serve --parallel`) share a local KV file
 * through separate SQLite connections, and a write that meets another
 * isolate's write fails with "database is locked". That is contention, not
 * failure: the write can simply be tried again.
 */
export function isContention(err: unknown): boolean {
  return err instanceof Error && /database is (locked|busy)/i.test(err.message);
}

/** Attempts of a write that keeps meeting contention. */
const CONTENTION_ATTEMPTS = 20;

/**
 * Runs a KV write, retrying it after a short random pause while it fails
 * with contention (see `isContention`).
 *
 * @example
 * ```ts
 * await retryContention(() => kv.set(key, value));
 * ```
 */
export async function retryContention<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isContention(err) || attempt >= CONTENTION_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    }
  }
}

/**
 * Stores `value` under `key` unless something is there already, and returns
 * what is stored: concurrent isolates all end up with the same value.
 *
 * @example
 * ```ts
 * const secret = await createIfAbsent(keys.sessionSecret(), randomSecret());
 * ```
 */
export async function createIfAbsent<T>(key: Deno.KvKey, value: T): Promise<T> {
  const kv = await getKv();
  await retryContention(() =>
    kv.atomic().check({ key, versionstamp: null }).set(key, value).commit()
  );
  return (await kv.get<T>(key)).value ?? value;
}

/**
 * Deletes keys in batches that fit an atomic operation's mutation limit.
 *
 * @example
 * ```ts
 * await deleteKeys(staleKeys);
 * ```
 */
export async function deleteKeys(list: Deno.KvKey[]): Promise<void> {
  const kv = await getKv();
  for (let i = 0; i < list.length; i += 500) {
    const batch = list.slice(i, i + 500);
    await retryContention(() => {
      const op = kv.atomic();
      for (const key of batch) op.delete(key);
      return op.commit();
    });
  }
}
