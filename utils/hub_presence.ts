/**
 * The hub's side of presence: each isolate writes how many viewers of a
 * room it holds to KV when that changes, and counts the other isolates'.
 * A heartbeat keeps this isolate's entries counting (one beat, however many
 * rooms) and checks that the isolates it counted still beat; when one has
 * stopped, the rooms it had viewers in are recounted, so that the viewers
 * of a crashed isolate drop out.
 *
 * @module
 */

import type { HubStore } from "./hub_options.ts";
import type { Room } from "./hub_room.ts";
import type { TimerId, Timers } from "./hub_sender.ts";

/** Options of {@linkcode Presence}. */
export interface PresenceOptions {
  store: Pick<
    HubStore,
    "setPresence" | "countPresence" | "beatIsolate" | "readBeats"
  >;
  /** Identifies this isolate's entries and its beat. */
  isolateId: string;
  /** How often this isolate beats and checks the others, in milliseconds. */
  heartbeatMs: number;
  /** How long a beat lasts, in milliseconds. */
  ttlMs: number;
  timers: Timers;
  /** Reports a failed store call; the next heartbeat tries again. */
  onError: (error: unknown, room: string) => void;
}

/** Writes and counts the presence of one hub's rooms. */
export class Presence {
  #options: PresenceOptions;
  #heartbeat: TimerId | null = null;
  /** When this isolate's last beat was written, on the hub's clock. */
  #beatAt = -Infinity;
  /** The beat being written, which presence writes wait for. */
  #beating: Promise<void> | null = null;
  /** When each other isolate counted in a room stops beating, as last read. */
  #others = new Map<string, number>();
  #rooms: () => Iterable<Room> = () => [];

  constructor(options: PresenceOptions) {
    this.#options = options;
  }

  /**
   * Writes this isolate's viewers of the room, after a beat if this isolate
   * has none that lasts: readers count no entry of an isolate that does not
   * beat. A failure is reported, and the room keeps the count it last wrote.
   *
   * @example
   * ```ts
   * await presence.write(room);
   * ```
   */
  async write(room: Room): Promise<void> {
    const { store, isolateId, onError } = this.#options;
    if (!this.#beats()) await this.beat();
    const count = room.clients.size;
    await store.setPresence(
      room.tenant,
      room.urlId,
      isolateId,
      count,
      room.written,
    ).then(
      () => room.written = count,
      (err) => onError(err, room.key),
    );
  }

  /**
   * Counts the room's viewers held by the other isolates, and tells the
   * room's sockets if the total changed.
   *
   * @example
   * ```ts
   * await presence.recount(room);
   * ```
   */
  async recount(room: Room): Promise<void> {
    const { store, isolateId, timers, onError } = this.#options;
    const counted = await store.countPresence(
      room.tenant,
      room.urlId,
      isolateId,
    )
      .catch((err) => onError(err, room.key));
    if (counted === undefined) return;
    const now = timers.now();
    for (const [other, ms] of counted.beats) {
      this.#others.set(other, Math.max(this.#others.get(other) ?? 0, now + ms));
    }
    room.others = counted.others;
    room.counted = true;
    room.announceViewers();
  }

  /**
   * Writes this isolate's beat. One that comes after the last had run out
   * rewrites every room's entry: readers may have deleted them meanwhile.
   * Calls made while a beat is being written share it.
   *
   * @example
   * ```ts
   * await presence.beat();
   * ```
   */
  beat(): Promise<void> {
    this.#beating ??= this.#beat().finally(() => this.#beating = null);
    return this.#beating;
  }

  async #beat(): Promise<void> {
    const { store, isolateId, ttlMs, timers, onError } = this.#options;
    const lapsed = !this.#beats();
    const startedAt = timers.now();
    try {
      await store.beatIsolate(isolateId, ttlMs);
    } catch (err) {
      onError(err, "(heartbeat)");
      return;
    }
    this.#beatAt = startedAt;
    if (!lapsed) return;
    for (const room of this.#rooms()) {
      if (room.written === 0) continue;
      room.written = 0;
      room.schedule(["presence"]);
    }
  }

  /** True while this isolate's last beat lasts. */
  #beats(): boolean {
    const { ttlMs, timers } = this.#options;
    return timers.now() - this.#beatAt < ttlMs;
  }

  /**
   * Reads the beats of the other isolates whose last known beat has run out
   * by now; if any has stopped, recounts every room that counted others.
   */
  async #checkOthers(): Promise<void> {
    const { store, timers, onError } = this.#options;
    const now = timers.now();
    const due = [...this.#others].filter(([, until]) => until <= now);
    if (due.length === 0) return;
    const left = await store.readBeats(due.map(([id]) => id))
      .catch((err) => onError(err, "(heartbeat)"));
    if (left === undefined) return;
    let stopped = false;
    for (const [id, ms] of left) {
      if (ms > 0) this.#others.set(id, now + ms);
      else {
        this.#others.delete(id);
        stopped = true;
      }
    }
    if (!stopped) return;
    for (const room of this.#rooms()) {
      if (room.others > 0) room.schedule(["users"]);
    }
  }

  /**
   * Starts the heartbeat, if it is not running: each tick beats and checks
   * the other isolates.
   *
   * @example
   * ```ts
   * presence.startHeartbeat(() => rooms.values());
   * ```
   */
  startHeartbeat(rooms: () => Iterable<Room>): void {
    if (this.#heartbeat !== null) return;
    this.#rooms = rooms;
    const { timers, heartbeatMs } = this.#options;
    this.#heartbeat = timers.setInterval(() => {
      this.beat();
      this.#checkOthers();
    }, heartbeatMs);
  }

  /** Stops the heartbeat. */
  stopHeartbeat(): void {
    if (this.#heartbeat === null) return;
    this.#options.timers.clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }
}
