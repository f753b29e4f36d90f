/**
 * The store's room side: snapshots and presence here; the room write in
 * `db_room_write.ts` and the event log in `db_event_log.ts`, both re-exported
 * here. Keys and opening live in `db_kv.ts` (re-exported here), tenants in
 * `db_tenants.ts`, chats and comments in `db_chats.ts`.
 *
 * @module
 */

import type { Chat } from "./protocol.ts";
import { getKv, keys, retryContention } from "./db_kv.ts";

export { closeKv, getKv, presenceRevKey, roomSeqKey } from "./db_kv.ts";
export {
  type EnvReader,
  type EventLogOptions,
  eventLogOptions,
  getRoomSeq,
  listEventsSince,
  pruneEvents,
} from "./db_event_log.ts";
export {
  onRoomCommit,
  type RoomCommitListener,
  type RoomMutations,
  type RoomWritePlan,
  writeRoom,
} from "./db_room_write.ts";

// ---------------------------------------------------------------------------
// Snapshots

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
 * room's presence revision when the visible total changes, that is when
 * `count` differs from `visible`: the count readers see now for this
 * isolate (what it last wrote, or 0 if that has expired). The caller knows
 * it, so a heartbeat's rewrite is one write and no read.
 *
 * @example
 * ```ts
 * await setPresence("demo", "demo-image", isolateId, 3, 30_000, 2);
 * ```
 */
export async function setPresence(
  tenant: string,
  urlId: string,
  isolateId: string,
  count: number,
  ttlMs: number,
  visible: number,
): Promise<void> {
  const kv = await getKv();
  const key = keys.presenceEntry(tenant, urlId, isolateId);
  const now = Date.now();
  await retryContention(() => {
    const op = kv.atomic();
    if (count > 0) {
      op.set(key, { count, expiresAt: now + ttlMs }, {
        expireIn: Math.max(1, Math.ceil(ttlMs)),
      });
    } else {
      op.delete(key);
    }
    if (count !== visible) {
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
