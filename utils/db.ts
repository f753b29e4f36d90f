/**
 * The store's room side: snapshots here; presence in `db_presence.ts`, the
 * room write in `db_room_write.ts` and the event log in `db_event_log.ts`,
 * all re-exported here. Keys and opening live in `db_kv.ts` (re-exported
 * here), tenants in `db_tenants.ts`, chats and comments in `db_chats.ts`.
 *
 * @module
 */

import type { Chat } from "./protocol.ts";
import { getKv, keys } from "./db_kv.ts";

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
  beatIsolate,
  countPresence,
  type PresenceCount,
  readBeats,
  setPresence,
} from "./db_presence.ts";
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
