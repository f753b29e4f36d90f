/**
 * One room of the realtime hub: its local sockets and the queue its work runs
 * on. Every step of a room (a join's sync, a fan-out pass, letting go of the
 * room) runs after the one queued before it, so events go out in `seq` order
 * and a socket's own `seq` is never read and written by two steps at once.
 *
 * @module
 */

import type { SocketSender } from "./hub_sender.ts";
import type { HubSocket } from "./hub_socket.ts";

/**
 * What a fan-out pass does: fetch new events (`events`), recount the room's
 * viewers (`users`), rewrite this isolate's presence entry (`presence`).
 */
export type Work = "events" | "users" | "presence";

/** One socket in a room. */
export interface RoomClient {
  socket: HubSocket;
  /** The seq the client asked to resume from; null for a snapshot. */
  since: number | null;
  /** The last seq this socket was sent; meaningful once `synced`. */
  seq: number;
  /** True once the socket has been sent its `sync`. */
  synced: boolean;
  /** Every frame to the socket goes through this: batching, backpressure. */
  sender: SocketSender;
}

/** A room's local state and its queue of work. */
export class Room {
  /** Identifies the room in the hub's map and in logs. */
  readonly key: string;
  readonly clients: Set<RoomClient> = new Set();
  /** The viewer count (over all isolates) last sent to this room's sockets. */
  users = 0;
  /** Set once the room is let go of; queued work then does nothing. */
  closed = false;
  /** Ends the room's KV watch when the room is let go of. */
  readonly stopWatch: AbortController = new AbortController();
  #chain: Promise<void> = Promise.resolve();
  #pending: Set<Work> | null = null;
  #pass: (work: ReadonlySet<Work>) => Promise<void>;
  #onError: (err: unknown) => void;

  /**
   * @param pass runs one fan-out pass of the queued work
   * @param onError reports a step that failed; the queue goes on
   */
  constructor(
    readonly tenant: string,
    readonly urlId: string,
    pass: (work: ReadonlySet<Work>) => Promise<void>,
    onError: (err: unknown) => void,
  ) {
    this.key = Room.key(tenant, urlId);
    this.#pass = pass;
    this.#onError = onError;
  }

  /**
   * The key of a room in maps.
   *
   * @example
   * ```ts
   * rooms.get(Room.key("demo", "demo-image"));
   * ```
   */
  static key(tenant: string, urlId: string): string {
    return JSON.stringify([tenant, urlId]);
  }

  /** The sockets that have been sent their `sync`. */
  synced(): RoomClient[] {
    return [...this.clients].filter((client) => client.synced);
  }

  /**
   * Runs `step` once every step queued before it has finished. A step that
   * throws is reported and does not stop the queue.
   *
   * @example
   * ```ts
   * room.enqueue(() => sendSync(room, client));
   * ```
   */
  enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(step).catch(this.#onError);
  }

  /**
   * Queues a fan-out pass. Work for a pass that is queued and has not
   * started joins it, so a burst of notifications costs one pass.
   *
   * @example
   * ```ts
   * room.schedule(["events"]);
   * ```
   */
  schedule(work: Work[]): void {
    if (this.closed || work.length === 0) return;
    if (this.#pending) {
      for (const item of work) this.#pending.add(item);
      return;
    }
    const pending = new Set(work);
    this.#pending = pending;
    this.enqueue(() => {
      this.#pending = null;
      return this.closed ? Promise.resolve() : this.#pass(pending);
    });
  }

  /** Resolves once every step queued so far has run. */
  idle(): Promise<void> {
    return this.#chain;
  }
}
