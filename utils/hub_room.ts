/**
 * One room of the realtime hub: its local sockets and the two queues its
 * work runs on. Every step of a lane runs after the one queued before it:
 * on the events lane (a join's sync, a fan-out of new events) so that events
 * go out in `seq` order and a socket's own `seq` is never read and written
 * by two steps at once; on the presence lane (writing this isolate's
 * presence, recounting, letting go of the room) so that presence writes
 * land in order. The lanes are apart so that joins and events never wait
 * for presence round trips.
 *
 * @module
 */

import type { Chat, RoomEvent, SyncMessage, UsersMessage } from "./protocol.ts";
import { type Recipient, type RoomSender, serialize } from "./hub_sender.ts";

/**
 * What a pass does: fetch new events (`events`, on the events lane), recount
 * the room's viewers (`users`) and rewrite this isolate's presence entry
 * (`presence`), both on the presence lane.
 */
export type Work = "events" | "users" | "presence";

/** One socket in a room. */
export interface RoomClient extends Recipient {
  /** The seq the client asked to resume from; null for a snapshot. */
  since: number | null;
  /** The last seq this socket was sent; meaningful once `synced`. */
  seq: number;
  /** True once the socket has been sent its `sync`. */
  synced: boolean;
}

/** Events a room keeps for its next fan-out at most. */
const MAX_REMEMBERED = 1_000;

/** A queue of steps, and the pass of work queued on it and not yet begun. */
class Lane {
  #chain: Promise<void> = Promise.resolve();
  #pending: Set<Work> | null = null;

  constructor(readonly onError: (err: unknown) => void) {}

  enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(step).catch(this.onError);
  }

  /** Adds work to the queued pass, or queues a pass running `run`. */
  schedule(work: Work, run: (work: ReadonlySet<Work>) => Promise<void>) {
    if (this.#pending) {
      this.#pending.add(work);
      return;
    }
    const pending = new Set([work]);
    this.#pending = pending;
    this.enqueue(() => {
      this.#pending = null;
      return run(pending);
    });
  }

  idle(): Promise<void> {
    return this.#chain;
  }
}

/** A room's local state and its queues of work. */
export class Room {
  /** Identifies the room in the hub's map and in logs. */
  readonly key: string;
  readonly clients: Set<RoomClient> = new Set();
  /** The viewer count (over all isolates) last sent to this room's sockets. */
  users = 0;
  /** Viewers held by other isolates at the last recount. */
  others = 0;
  /** True once the room's viewers have been counted in KV. */
  counted = false;
  /**
   * This isolate's viewers of the room as readers see them: as last written
   * to KV, or 0 once this isolate's beat had run out.
   */
  written = 0;
  /** Sockets that joined and wait for the next sync step. */
  joining: RoomClient[] = [];
  /** Set once the room is let go of; queued work then does nothing. */
  closed = false;
  /** The highest seq the room is known to have reached. */
  latest = 0;
  /**
   * Set when the room may have events past `latest` that this isolate was
   * not told of, so the next fan-out must read the log.
   */
  unread = true;
  /** Events this isolate committed and has not fanned out yet, by seq. */
  #committed = new Map<number, RoomEvent>();
  #events: Lane;
  #presence: Lane;
  #pass: (work: ReadonlySet<Work>) => Promise<void>;

  /**
   * @param pass runs one pass of queued work (all of one lane)
   * @param onError reports a step that failed; the queue goes on
   * @param sender every frame to the room's sockets goes through it
   */
  constructor(
    readonly tenant: string,
    readonly urlId: string,
    pass: (work: ReadonlySet<Work>) => Promise<void>,
    onError: (err: unknown) => void,
    readonly sender: RoomSender<RoomClient>,
  ) {
    this.key = Room.key(tenant, urlId);
    this.#pass = pass;
    this.#events = new Lane(onError);
    this.#presence = new Lane(onError);
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

  /**
   * Learns that the room reached `seq` (from its watch): a later fan-out
   * reads what it does not hold.
   */
  reached(seq: number): void {
    if (seq > this.latest) this.latest = seq;
  }

  /**
   * Keeps events this isolate just committed, so that their fan-out need not
   * read them back from the log.
   *
   * @example
   * ```ts
   * room.remember(events); // right after they committed
   * room.schedule(["events"]);
   * ```
   */
  remember(events: readonly RoomEvent[]): void {
    for (const event of events) {
      this.#committed.set(event.seq, event);
      this.reached(event.seq);
    }
    // Bounded for a room whose sockets never catch up: the oldest go, and
    // a fan-out that needs them reads the log.
    for (const seq of this.#committed.keys()) {
      if (this.#committed.size <= MAX_REMEMBERED) break;
      this.#committed.delete(seq);
    }
  }

  /**
   * The events after `since` up to `latest` if this room holds all of them
   * (an empty array when there are none), or null when the log must be read.
   *
   * @example
   * ```ts
   * const events = room.eventsAfter(since) ?? await readLog(since);
   * ```
   */
  eventsAfter(since: number): RoomEvent[] | null {
    if (this.unread) return null;
    const events: RoomEvent[] = [];
    for (let seq = since + 1; seq <= this.latest; seq++) {
      const event = this.#committed.get(seq);
      if (!event) return null;
      events.push(event);
    }
    return events;
  }

  /** Forgets remembered events up to `seq`: every socket has been sent them. */
  forgetThrough(seq: number): void {
    for (const kept of this.#committed.keys()) {
      if (kept <= seq) this.#committed.delete(kept);
    }
  }

  /** The room's viewers: the others' at the last recount, and ours now. */
  viewers(): number {
    return this.others + this.clients.size;
  }

  /**
   * Sends the synced sockets a `users` message if the viewer count changed
   * since the last one they were told.
   *
   * @example
   * ```ts
   * room.clients.delete(client);
   * room.announceViewers();
   * ```
   */
  announceViewers(): void {
    const count = this.viewers();
    if (count === this.users) return;
    this.users = count;
    const users: UsersMessage = { type: "users", urlId: this.urlId, count };
    const out = [serialize(users)];
    for (const client of this.clients) {
      if (client.synced) this.sender.queue(client, out);
    }
    this.sender.release();
  }

  /**
   * Sends one socket its `sync` at once: a snapshot when given `chats`, else
   * a recovery followed by the `events` it missed. The socket is synced from
   * then on, at `from.seq`.
   *
   * @example
   * ```ts
   * room.sendSync(client, { seq: 7, events: missed });
   * ```
   */
  sendSync(
    client: RoomClient,
    from: { seq: number; chats?: Chat[]; events?: RoomEvent[] },
  ): void {
    client.seq = from.seq;
    client.synced = true;
    const sync: SyncMessage = {
      type: "sync",
      urlId: this.urlId,
      seq: from.seq,
      recovered: from.chats === undefined,
      users: this.users,
    };
    if (from.chats) sync.chats = from.chats;
    this.sender.queue(client, [sync, ...from.events ?? []].map(serialize));
    this.sender.sendNow(client);
  }

  /**
   * Runs `step` on the events lane once every step queued there before it
   * has finished. A step that throws is reported and does not stop the
   * queue.
   *
   * @example
   * ```ts
   * room.enqueue(() => sendSync(room, client));
   * ```
   */
  enqueue(step: () => Promise<void>): void {
    this.#events.enqueue(step);
  }

  /**
   * Runs `step` on the presence lane, after the presence work queued before.
   *
   * @example
   * ```ts
   * room.enqueuePresence(() => clearPresence(room));
   * ```
   */
  enqueuePresence(step: () => Promise<void>): void {
    this.#presence.enqueue(step);
  }

  /**
   * Queues passes for `work`: `events` on the events lane, `users` and
   * `presence` on the presence lane. Work for a pass that is queued and has
   * not started joins it, so a burst of notifications costs one pass.
   *
   * @example
   * ```ts
   * room.schedule(["events"]);
   * ```
   */
  schedule(work: Work[]): void {
    if (this.closed) return;
    const run = (pending: ReadonlySet<Work>) =>
      this.closed ? Promise.resolve() : this.#pass(pending);
    for (const item of work) {
      const lane = item === "events" ? this.#events : this.#presence;
      lane.schedule(item, run);
    }
  }

  /** Resolves once every step queued so far on the presence lane has run. */
  presenceIdle(): Promise<void> {
    return this.#presence.idle();
  }

  /** Resolves once every step queued so far, on both lanes, has run. */
  async idle(): Promise<void> {
    await Promise.all([this.#events.idle(), this.#presence.idle()]);
  }
}
