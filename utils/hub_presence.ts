/**
 * The hub's side of presence: each isolate writes how many viewers of a
 * room it holds to KV, and counts everyone's. A heartbeat rewrites every
 * local room's entry before it expires and recounts, so that the viewers of
 * a crashed isolate drop out. Rooms take turns within each heartbeat, so
 * that many rooms do not all write and scan at the same moment.
 *
 * @module
 */

import type { HubStore } from "./hub_options.ts";
import type { Room } from "./hub_room.ts";
import type { TimerId, Timers } from "./hub_sender.ts";

/** Options of {@linkcode Presence}. */
export interface PresenceOptions {
  store: Pick<HubStore, "setPresence" | "countPresence">;
  /** Identifies this isolate's entries. */
  isolateId: string;
  /** How often each room is rewritten and recounted, in milliseconds. */
  heartbeatMs: number;
  /** How long an entry lives unless rewritten, in milliseconds. */
  ttlMs: number;
  timers: Timers;
  /** Reports a failed store call; the next heartbeat tries again. */
  onError: (error: unknown, room: string) => void;
}

/** Writes and counts the presence of one hub's rooms. */
export class Presence {
  #options: PresenceOptions;
  /** Ticks per heartbeat; each room is beaten on one of them. */
  #slots: number;
  #nextSlot = 0;
  #tick = 0;
  #heartbeat: TimerId | null = null;

  constructor(options: PresenceOptions) {
    this.#options = options;
    // Ticks at least 50 ms apart: a turn for up to 100 groups of rooms.
    this.#slots = Math.min(
      100,
      Math.max(1, Math.floor(options.heartbeatMs / 50)),
    );
  }

  /**
   * Gives a new room its turn in the heartbeat, round robin.
   *
   * @example
   * ```ts
   * presence.assignSlot(room);
   * ```
   */
  assignSlot(room: Room): void {
    room.heartbeatSlot = this.#nextSlot++ % this.#slots;
  }

  /**
   * Writes this isolate's viewers of the room. A failure is reported, and
   * the room keeps the count it last wrote.
   *
   * @example
   * ```ts
   * await presence.write(room);
   * ```
   */
  async write(room: Room): Promise<void> {
    const { store, isolateId, ttlMs, timers, onError } = this.#options;
    const count = room.clients.size;
    const startedAt = timers.now();
    // What readers see of this isolate now: its last write, unless expired.
    const visible = startedAt - room.writtenAt < ttlMs ? room.written : 0;
    await store.setPresence(
      room.tenant,
      room.urlId,
      isolateId,
      count,
      ttlMs,
      visible,
    ).then(
      () => {
        room.written = count;
        room.writtenAt = startedAt;
      },
      (err) => onError(err, room.key),
    );
  }

  /**
   * Counts the room's viewers over all isolates, keeps the other isolates'
   * share, and tells the room's sockets if their total changed.
   *
   * @example
   * ```ts
   * await presence.recount(room);
   * ```
   */
  async recount(room: Room): Promise<void> {
    const count = await this.#options.store
      .countPresence(room.tenant, room.urlId)
      .catch((err) => this.#options.onError(err, room.key));
    if (count === undefined) return;
    room.others = Math.max(0, count - room.written);
    room.counted = true;
    room.announceViewers();
  }

  /**
   * Starts the heartbeat, if it is not running: on each tick the rooms of
   * that tick's slot get a presence pass, so each room gets one per
   * heartbeat.
   *
   * @example
   * ```ts
   * presence.startHeartbeat(() => rooms.values());
   * ```
   */
  startHeartbeat(rooms: () => Iterable<Room>): void {
    if (this.#heartbeat !== null) return;
    const { timers, heartbeatMs } = this.#options;
    this.#heartbeat = timers.setInterval(() => {
      const slot = ++this.#tick % this.#slots;
      for (const room of rooms()) {
        if (room.heartbeatSlot === slot) room.schedule(["presence"]);
      }
    }, heartbeatMs / this.#slots);
  }

  /** Stops the heartbeat. */
  stopHeartbeat(): void {
    if (this.#heartbeat === null) return;
    this.#options.timers.clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    this.#tick = 0;
  }
}
