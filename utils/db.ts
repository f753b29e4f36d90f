/**
 * The store's room side: the write that every change to a room goes through,
 * the event log, snapshots and presence. Keys and opening live in `db_kv.ts`
 * (re-exported here), tenants in `db_tenants.ts`, chats and comments in
 * `db_chats.ts`.
 *
 * Every change to a room is one atomic operation that checks the room's
 * sequence entry, bumps it and appends the event, so `seq` rises by exactly 1
 * per committed write and no write is half-stored.
 *
 * @module
 */

import type { Chat, RoomEvent } from "./protocol.ts";
import { ApiError } from "./protocol.ts";
import {
  deleteKeys,
  getKv,
  isContention,
  keys,
  retryContention,
} from "./db_kv.ts";

export { closeKv, getKv, presenceRevKey, roomSeqKey } from "./db_kv.ts";

// ---------------------------------------------------------------------------
// Room writes and the event log

/** How long a room's log keeps events. */
export interface EventLogOptions {
  /**
   * Events always kept, counting back from the newest.
   * @default 1000 (env `TACK_EVENT_LOG_MIN_EVENTS`)
   */
  minEvents: number;
  /**
   * Events younger than this are always kept, in milliseconds.
   * @default 86_400_000, 24 hours (env `TACK_EVENT_LOG_MIN_AGE_MS`)
   */
  minAgeMs: number;
}

/** Where configuration is read from; `Deno.env` outside tests. */
export interface EnvReader {
  get(name: string): string | undefined;
}

function envNumber(env: EnvReader, name: string, fallback: number): number {
  const text = env.get(name);
  const value = Number(text);
  return text && Number.isFinite(value) && value >= 0
    ? Math.floor(value)
    : fallback;
}

/**
 * The log retention from the environment.
 *
 * @example
 * ```ts
 * const { minEvents } = eventLogOptions(); // 1000 unless configured
 * ```
 */
export function eventLogOptions(env: EnvReader = Deno.env): EventLogOptions {
  return {
    minEvents: envNumber(env, "TACK_EVENT_LOG_MIN_EVENTS", 1000),
    minAgeMs: envNumber(env, "TACK_EVENT_LOG_MIN_AGE_MS", 86_400_000),
  };
}

/**
 * Writes of a room between two prunes of its log; a log configured smaller
 * than this is pruned as often as its size.
 */
const PRUNE_EVERY = 100;
/** Attempts of one room write before giving up with 409. */
const MAX_WRITE_ATTEMPTS = 40;
/** `getMany` reads at most 10 keys, one of which is the room's seq. */
const MAX_PLAN_READS = 9;

/** An event as stored: with its commit time, for age-based pruning. */
interface StoredEvent {
  at: number;
  event: RoomEvent;
}

/** What a room write changes, computed from fresh reads on each attempt. */
export interface RoomWritePlan<T> {
  /** Entries whose versionstamps must still hold (besides the room's seq). */
  checks?: Deno.AtomicCheck[];
  /** Adds the write's own mutations. */
  mutate: (op: Deno.AtomicOperation) => void;
  /** The event, without the fields the room write fills in. */
  event: Omit<RoomEvent, "urlId" | "seq">;
  /** What the caller gets back, besides `seq`. */
  result: T;
}

/** Learns of a committed room write: its room and its new seq. */
export type RoomCommitListener = (
  tenant: string,
  urlId: string,
  seq: number,
) => void;

const commitListeners = new Set<RoomCommitListener>();

/**
 * Calls `listener` after each room write this isolate commits; returns a
 * function that stops it. The hub uses it to fan out its own writes at once.
 *
 * @example
 * ```ts
 * const stop = onRoomCommit((tenant, urlId) => hub.poke(tenant, urlId));
 * ```
 */
export function onRoomCommit(listener: RoomCommitListener): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

// Writes of one isolate to one room queue up here instead of racing each
// other for the seq check; retries are then only needed across isolates.
const roomLocks = new Map<string, Promise<unknown>>();

async function withRoomLock<T>(room: string, fn: () => Promise<T>) {
  const previous = roomLocks.get(room) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.catch(() => {});
  roomLocks.set(room, settled);
  try {
    return await run;
  } finally {
    if (roomLocks.get(room) === settled) roomLocks.delete(room);
  }
}

function backoff(attempt: number): Promise<void> {
  // Full jitter: spreads writers that collided so they do not collide again.
  const ceiling = Math.min(100, 2 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * Commits one change to a room: checks and bumps its seq, applies the plan's
 * mutations and appends the event, all in one atomic operation, retried on
 * conflict. `plan` runs again on each attempt with fresh `entries`: the
 * values of `reads` (at most 9 keys), fetched in the same `getMany` as the
 * room's seq; anything else it needs it must read afresh itself. It may throw
 * an ApiError to refuse the write.
 *
 * @example
 * ```ts
 * const { seq } = await writeRoom("demo", "u", async () => ({
 *   mutate: (op) => op.set(keys.chat("demo", chat.id), chat),
 *   event: { type: "new-image-chat", broadcastId: "b", chat },
 *   result: {},
 * }));
 * ```
 */
export function writeRoom<T>(
  tenant: string,
  urlId: string,
  plan: (
    entries: Deno.KvEntryMaybe<unknown>[],
  ) => RoomWritePlan<T> | Promise<RoomWritePlan<T>>,
  reads: Deno.KvKey[] = [],
): Promise<T & { seq: number }> {
  if (reads.length > MAX_PLAN_READS) {
    throw new RangeError(`A room write reads at most ${MAX_PLAN_READS} keys.`);
  }
  const seqKey = keys.roomSeq(tenant, urlId);
  return withRoomLock(JSON.stringify(seqKey), async () => {
    const kv = await getKv();
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      // One round trip for everything the write depends on.
      const [seqEntry, ...entries] = await kv.getMany([seqKey, ...reads]);
      const { checks = [], mutate, event, result } = await plan(entries);
      const seq = ((seqEntry.value as number | null) ?? 0) + 1;
      const stored: StoredEvent = {
        at: Date.now(),
        event: { ...event, urlId, seq } as RoomEvent,
      };
      const op = kv.atomic().check(seqEntry, ...checks);
      mutate(op);
      op.set(seqKey, seq).set(keys.event(tenant, urlId, seq), stored);
      const committed = await op.commit().catch((err) => {
        if (isContention(err)) return { ok: false as const };
        throw err;
      });
      if (committed.ok) {
        for (const listener of commitListeners) listener(tenant, urlId, seq);
        const options = eventLogOptions();
        if (seq % Math.min(PRUNE_EVERY, options.minEvents || 1) === 0) {
          // Best effort: the next prune retries what this one missed.
          await pruneEvents(tenant, urlId, options).catch(() => {});
        }
        return { ...result, seq };
      }
      await backoff(attempt);
    }
    throw new ApiError("conflict", "Too many concurrent writes; try again.");
  });
}

/**
 * The last seq of a room; 0 for a room that never had a write.
 *
 * @example
 * ```ts
 * const seq = await getRoomSeq("demo", "demo-image");
 * ```
 */
export async function getRoomSeq(
  tenant: string,
  urlId: string,
): Promise<number> {
  const kv = await getKv();
  return (await kv.get<number>(keys.roomSeq(tenant, urlId))).value ?? 0;
}

/**
 * Events with seq > since, in order, or null when the log no longer holds
 * seq since+1 (a gap), or `since` is ahead of the room (the client's seq is
 * from another history). Either way the caller needs a snapshot.
 *
 * @example
 * ```ts
 * const missed = await listEventsSince("demo", "demo-image", lastSeq);
 * if (missed === null) sendSnapshot(); else missed.forEach(send);
 * ```
 */
export async function listEventsSince(
  tenant: string,
  urlId: string,
  since: number,
): Promise<RoomEvent[] | null> {
  const kv = await getKv();
  const seq = await getRoomSeq(tenant, urlId);
  if (since > seq) return null;
  if (since === seq) return [];
  const events: RoomEvent[] = [];
  const prefix = keys.events(tenant, urlId);
  const iter = kv.list<StoredEvent>({
    start: [...prefix, since + 1],
    end: [...prefix, seq + 1],
  });
  for await (const entry of iter) {
    const event = entry.value.event;
    if (event.seq !== since + 1 + events.length) return null;
    events.push(event);
  }
  return events.length === seq - since ? events : null;
}

/**
 * Drops old events of a room: those beyond the newest `minEvents` that are
 * also older than `minAgeMs`. Runs by itself every 100th write of a room.
 *
 * @example
 * ```ts
 * await pruneEvents("demo", "demo-image", { minEvents: 10, minAgeMs: 0 });
 * ```
 */
export async function pruneEvents(
  tenant: string,
  urlId: string,
  options: EventLogOptions = eventLogOptions(),
): Promise<number> {
  const kv = await getKv();
  const lastToDrop = (await getRoomSeq(tenant, urlId)) - options.minEvents;
  if (lastToDrop < 1) return 0;
  const bornBefore = Date.now() - options.minAgeMs;
  const prefix = keys.events(tenant, urlId);
  const doomed: Deno.KvKey[] = [];
  const iter = kv.list<StoredEvent>({
    start: prefix.concat(0),
    end: prefix.concat(lastToDrop + 1),
  });
  for await (const entry of iter) {
    if (entry.value.at >= bornBefore) break;
    doomed.push(entry.key);
  }
  await deleteKeys(doomed);
  return doomed.length;
}

/**
 * A consistent snapshot: all chats (image and text) of a room plus the seq
 * they reflect. If writes keep racing the read, the seq is the one read
 * before the list, so replaying the events after it converges (events carry
 * whole chats).
 *
 * @example
 * ```ts
 * const { seq, chats } = await getRoomSnapshot("demo", "demo-image");
 * ```
 */
export async function getRoomSnapshot(
  tenant: string,
  urlId: string,
): Promise<{ seq: number; chats: Chat[] }> {
  const kv = await getKv();
  const seqKey = keys.roomSeq(tenant, urlId);
  for (let attempt = 0;; attempt++) {
    const before = await kv.get<number>(seqKey);
    const chats: Chat[] = [];
    for await (
      const entry of kv.list<Chat>({
        prefix: keys.roomChats(tenant, urlId),
      })
    ) {
      chats.push(entry.value);
    }
    const after = await kv.get<number>(seqKey);
    if (after.versionstamp === before.versionstamp || attempt === 4) {
      return { seq: before.value ?? 0, chats };
    }
  }
}

// ---------------------------------------------------------------------------
// Presence

/** One isolate's viewers of a room. */
interface PresenceEntry {
  count: number;
  /** Local KV deletes expired entries lazily, so readers check this. */
  expiresAt: number;
}

/**
 * Records how many of a room's viewers this isolate holds, until `ttlMs`
 * from now (the hub refreshes it). A count of 0 removes the entry. Bumps the
 * room's presence revision when the visible total may have changed.
 *
 * @example
 * ```ts
 * await setPresence("demo", "demo-image", isolateId, 3, 30_000);
 * ```
 */
export async function setPresence(
  tenant: string,
  urlId: string,
  isolateId: string,
  count: number,
  ttlMs: number,
): Promise<void> {
  const kv = await getKv();
  const key = keys.presenceEntry(tenant, urlId, isolateId);
  const now = Date.now();
  const previous = await kv.get<PresenceEntry>(key);
  const previousCount = previous.value && previous.value.expiresAt > now
    ? previous.value.count
    : 0;
  await retryContention(() => {
    const op = kv.atomic();
    if (count > 0) {
      op.set(key, { count, expiresAt: now + ttlMs }, {
        expireIn: Math.max(1, Math.ceil(ttlMs)),
      });
    } else {
      op.delete(key);
    }
    if (count !== previousCount) {
      op.sum(keys.presenceRev(tenant, urlId), 1n);
    }
    return op.commit();
  });
}

/**
 * Sum of unexpired presence entries of a room over all isolates.
 *
 * @example
 * ```ts
 * const viewers = await countPresence("demo", "demo-image");
 * ```
 */
export async function countPresence(
  tenant: string,
  urlId: string,
): Promise<number> {
  const kv = await getKv();
  const now = Date.now();
  let total = 0;
  for await (
    const entry of kv.list<PresenceEntry>({
      prefix: keys.presence(tenant, urlId),
    })
  ) {
    if (entry.value.expiresAt > now) total += entry.value.count;
  }
  return total;
}
