/**
 * A room's event log: every committed room write appends its event under
 * the room's next seq (see `db_room_write.ts`); clients that reconnect read
 * what they missed from here. Old events are pruned.
 *
 * @module
 */

import type { RoomEvent } from "./protocol.ts";
import { deleteKeys, getKv, keys } from "./db_kv.ts";

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

/** An event as stored: with its commit time, for age-based pruning. */
export interface StoredEvent {
  at: number;
  event: RoomEvent;
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
    if (entry.value.at > bornBefore) break; // younger than minAgeMs
    doomed.push(entry.key);
  }
  await deleteKeys(doomed);
  return doomed.length;
}
