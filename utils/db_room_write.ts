/**
 * The write that every change to a room goes through. Each change is part of
 * one atomic operation that checks the room's sequence entry, bumps it and
 * appends the event, so `seq` rises by exactly 1 per committed write and no
 * write is half-stored. Writes queued for one room commit together
 * (`db_write_group.ts`).
 *
 * @module
 */

import type { RoomEvent } from "./protocol.ts";
import { ApiError } from "./validation.ts";
import { getKv, isContention, keys } from "./db_kv.ts";
import {
  eventLogOptions,
  pruneEvents,
  type StoredEvent,
} from "./db_event_log.ts";
import {
  type GroupOutcome,
  groupReads,
  type GroupWrite,
  keyId,
  MAX_GROUP_KEYS,
  planGroup,
  type RoomMutations,
} from "./db_write_group.ts";

export type { RoomMutations } from "./db_write_group.ts";

/**
 * Writes of a room between two prunes of its log; a log configured smaller
 * than this is pruned as often as its size.
 */
const PRUNE_EVERY = 100;
/** Attempts of one room write before giving up with 409. */
const MAX_WRITE_ATTEMPTS = 40;

/** What a room write changes, computed from fresh reads on each attempt. */
export interface RoomWritePlan<T> {
  /** Entries whose versionstamps must still hold (besides the room's seq). */
  checks?: Deno.AtomicCheck[];
  /** Adds the write's own mutations: sets and deletes. */
  mutate: (op: RoomMutations) => void;
  /** The event, without the fields the room write fills in. */
  event: Omit<RoomEvent, "urlId" | "seq">;
  /** What the caller gets back, besides `seq`. */
  result: T;
}

/**
 * Learns of room writes committed together: their room and their events, in
 * seq order. The events are the ones stored; listeners must not change them.
 */
export type RoomCommitListener = (
  tenant: string,
  urlId: string,
  events: readonly RoomEvent[],
) => void;

const commitListeners = new Set<RoomCommitListener>();

/**
 * Calls `listener` after each group of room writes this isolate commits;
 * returns a function that stops it. The hub uses it to fan out its own
 * writes at once, without reading them back.
 *
 * @example
 * ```ts
 * const stop = onRoomCommit((tenant, urlId, events) =>
 *   hub.poke(tenant, urlId, events)
 * );
 * ```
 */
export function onRoomCommit(listener: RoomCommitListener): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

/** A write waiting in its room's queue. */
interface QueuedWrite extends GroupWrite<RoomWritePlan<unknown>> {
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

// Writes of one isolate to one room queue up here instead of racing each
// other for the seq check (retries are then only needed across isolates),
// and whatever queued while a group committed goes out as the next group.
const roomQueues = new Map<string, QueuedWrite[]>();

function backoff(attempt: number): Promise<void> {
  // Full jitter: spreads writers that collided so they do not collide again.
  const ceiling = Math.min(100, 2 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * Commits one change to a room: checks and bumps its seq, applies the plan's
 * mutations and appends the event, all in one atomic operation, retried on
 * conflict. `plan` runs again on each attempt with fresh `entries`: the
 * values of `reads` (at most 9 keys), fetched in one `getMany` with the
 * room's seq; anything else it needs it must read afresh itself. It may throw
 * an ApiError to refuse the write, which then changes nothing.
 *
 * Writes queued for the same room meanwhile are committed together (see
 * `db_write_group.ts`): each still gets its own consecutive seq, its own
 * event and its own outcome, and sees the changes of the writes before it.
 * Everything a write reads is checked, so another isolate's change to it
 * makes the group retry.
 *
 * @example
 * ```ts
 * const { seq } = await writeRoom("demo", "u", () => ({
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
  if (reads.length > MAX_GROUP_KEYS - 1) {
    const most = MAX_GROUP_KEYS - 1;
    throw new RangeError(`A room write reads at most ${most} keys.`);
  }
  return new Promise((resolve, reject) => {
    const write = { reads, plan, resolve, reject } as QueuedWrite;
    const seqKey = keys.roomSeq(tenant, urlId);
    const room = keyId(seqKey);
    const queue = roomQueues.get(room);
    if (queue) {
      queue.push(write);
      return;
    }
    roomQueues.set(room, [write]);
    drainRoom(tenant, urlId, seqKey, room);
  });
}

async function drainRoom(
  tenant: string,
  urlId: string,
  seqKey: Deno.KvKey,
  room: string,
) {
  const queue = roomQueues.get(room)!;
  while (queue.length > 0) {
    const group = queue.splice(0, groupReads(queue, seqKey).count);
    try {
      await commitGroup({ tenant, urlId, seqKey }, group, queue);
    } catch (error) {
      for (const write of group) write.reject(error);
    }
  }
  // Checked and deleted in one step: a write queued later starts a drain.
  roomQueues.delete(room);
}

/**
 * Commits a group, settling each write. Writes left out of it (a limit was
 * reached) go back to the head of the room's queue at once.
 */
async function commitGroup(
  room: { tenant: string; urlId: string; seqKey: Deno.KvKey },
  group: QueuedWrite[],
  queue: QueuedWrite[],
): Promise<void> {
  const { tenant, urlId, seqKey } = room;
  const kv = await getKv();
  const { keys: reads } = groupReads(group, seqKey);
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const [seqEntry, ...entries] = await kv.getMany(reads);
    const planned = await planGroup(group, entries);
    queue.unshift(...group.splice(planned.outcomes.length));
    const firstSeq = ((seqEntry.value as number | null) ?? 0) + 1;
    const at = Date.now();
    let seq = firstSeq - 1;
    const events: RoomEvent[] = [];
    const op = kv.atomic().check(seqEntry, ...planned.checks);
    for (const { key, value } of planned.mutations) {
      if (value === null) op.delete(key);
      else op.set(key, value);
    }
    for (const outcome of planned.outcomes) {
      if (!("plan" in outcome)) continue;
      seq++;
      const event = { ...outcome.plan.event, urlId, seq } as RoomEvent;
      events.push(event);
      op.set(keys.event(tenant, urlId, seq), { at, event } as StoredEvent);
    }
    if (seq < firstSeq) return settle(group, planned.outcomes, firstSeq);
    op.set(seqKey, seq);
    const committed = await op.commit().catch((err) => {
      if (isContention(err)) return { ok: false as const };
      // A group that exceeds a limit of KV's commits its writes one by one,
      // so each gets its own error.
      if (group.length > 1) return "split" as const;
      throw err;
    });
    if (committed === "split") {
      queue.unshift(...group.splice(1));
      return await commitGroup(room, group, queue);
    }
    if (committed.ok) {
      settle(group, planned.outcomes, firstSeq);
      return await afterCommit(tenant, urlId, events);
    }
    await backoff(attempt);
  }
  const error = new ApiError(
    "conflict",
    "Too many concurrent writes; try again.",
  );
  for (const write of group) write.reject(error);
}

/** Resolves the accepted writes with their seqs, rejects the refused. */
function settle(
  group: QueuedWrite[],
  outcomes: GroupOutcome<RoomWritePlan<unknown>>[],
  firstSeq: number,
) {
  let seq = firstSeq;
  outcomes.forEach((outcome, i) => {
    if ("plan" in outcome) {
      group[i].resolve({ ...outcome.plan.result as object, seq: seq++ });
    } else {
      group[i].reject(outcome.error);
    }
  });
}

async function afterCommit(
  tenant: string,
  urlId: string,
  events: RoomEvent[],
) {
  for (const listener of commitListeners) listener(tenant, urlId, events);
  const firstSeq = events[0].seq;
  const lastSeq = events[events.length - 1].seq;
  const options = eventLogOptions();
  const every = Math.min(PRUNE_EVERY, options.minEvents || 1);
  if (Math.floor(lastSeq / every) > Math.floor((firstSeq - 1) / every)) {
    // Best effort: the next prune retries what this one missed.
    await pruneEvents(tenant, urlId, options).catch(() => {});
  }
}
