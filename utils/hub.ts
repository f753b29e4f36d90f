/**
 * The realtime hub: the WebSockets this isolate owns, grouped by room
 * (tenant + urlId), and the fan-out of each room's committed events to them.
 *
 * Every isolate runs its own hub. For each room with local sockets the hub
 * `watch`es the room's sequence entry and its presence revision in KV; any
 * write in any isolate bumps the sequence, so every isolate learns of it and
 * reads the new events from the room's log. Syncs, fetches and fan-outs run
 * through one queue per room, so events go out in `seq` order, and each
 * socket remembers the last `seq` it was sent, so it gets nothing twice.
 * Presence runs on a second queue of the room (`hub_presence.ts`), so that
 * joins and events never wait for it; every frame goes through the room's
 * sender (`hub_sender.ts`), which frames a pass once for all caught-up
 * sockets.
 *
 * @module
 */

import * as db from "./db.ts";
import type { Chat, RoomEvent } from "./protocol.ts";
import { CLOSE_GOING_AWAY, CLOSE_RESYNC, LIMITS } from "./protocol.ts";
import { Room, type RoomClient, type Work } from "./hub_room.ts";
import {
  answerClientFrame,
  closeQuietly,
  type HubSocket,
  SOCKET_OPEN,
} from "./hub_socket.ts";
import {
  type Outgoing,
  realTimers,
  RoomSender,
  serialize,
  type Timers,
} from "./hub_sender.ts";
import { Presence } from "./hub_presence.ts";
import { RoomWatches } from "./hub_watch.ts";
import { type LogFields, logLine } from "./log.ts";
import { usageMeter } from "./metrics.ts";

import {
  type HubMeter,
  type HubOptions,
  hubOptionsFromEnv,
  type HubStore,
  NO_METER,
} from "./hub_options.ts";

export type { HubSocket } from "./hub_socket.ts";
export type { Timers } from "./hub_sender.ts";
export type { HubMeter, HubOptions, HubStore } from "./hub_options.ts";

/** A room's state as `getRoomSnapshot` reads it. */
type RoomSnapshot = { seq: number; chats: Chat[] };

/** What a socket asks for when it joins a room. */
export interface JoinRequest {
  tenant: string;
  urlId: string;
  /** The last `seq` the client saw, to resume from; null for a snapshot. */
  since: number | null;
}

/** Counts for health checks. */
export interface HubStats {
  rooms: number;
  sockets: number;
  /** Bytes sent to sockets and not yet written to the network. */
  bufferedBytes: number;
}

/** The realtime hub of one isolate. Most code uses the {@linkcode hub} singleton. */
export class Hub {
  readonly isolateId: string;
  #store: HubStore;
  #presence: Presence;
  #maxFrameBytes: number;
  #onError: (error: unknown, room: string) => void;
  #batchMs: number;
  #maxBufferedBytes: number;
  #timers: Timers;
  #meter: HubMeter;
  #log: (fields: LogFields) => void;
  #rooms = new Map<string, Room>();
  #watches: RoomWatches;

  constructor(options: HubOptions = {}) {
    this.#store = options.store ?? db;
    const store = this.#store;
    this.#watches = new RoomWatches({
      kv: () => store.getKv(),
      onError: (error) => this.#onError(error, "(watch)"),
    });
    this.isolateId = options.isolateId ?? crypto.randomUUID();
    this.#maxFrameBytes = options.maxFrameBytes ?? LIMITS.bodyBytesMax;
    this.#onError = options.onError ??
      ((error, room) => console.error(`hub: room ${room}:`, error));
    this.#batchMs = options.batchMs ?? 10;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 1_048_576;
    this.#timers = options.timers ?? realTimers;
    this.#meter = options.meter ?? NO_METER;
    this.#log = options.log ?? logLine;
    this.#presence = new Presence({
      store: this.#store,
      isolateId: this.isolateId,
      heartbeatMs: options.heartbeatMs ?? 10_000,
      ttlMs: options.presenceTtlMs ?? 20_000,
      timers: this.#timers,
      onError: this.#onError,
    });
  }

  /**
   * Adds a socket to a room. Once it is open the server speaks first with a
   * `sync` message, then sends every event committed after it.
   *
   * @example
   * ```ts
   * const { socket, response } = Deno.upgradeWebSocket(req);
   * hub.join(socket, { tenant: "demo", urlId: "demo-image", since: null });
   * return response;
   * ```
   */
  join(socket: HubSocket, request: JoinRequest): void {
    let room: Room | null = null;
    const client: RoomClient = {
      socket,
      since: request.since,
      seq: 0,
      synced: false,
      pending: null,
      unsentBound: 0,
    };
    socket.addEventListener(
      "message",
      (e) => answerClientFrame(socket, e.data, this.#maxFrameBytes),
    );
    socket.addEventListener("close", () => {
      if (room) this.#leave(room, client);
    });
    const enter = () => {
      const entered = this.#roomFor(request.tenant, request.urlId);
      room = entered;
      entered.clients.add(client);
      this.#meter.viewers(entered.tenant, 1);
      this.#logSocket("socket_open", entered, client);
      // Presence is written on its own lane, once for a burst of joins.
      entered.schedule(["presence"]);
      // Sockets joining while a sync step waits are synced by that step.
      if (entered.joining.push(client) === 1) {
        entered.enqueue(() => this.#syncJoining(entered));
      }
    };
    if (socket.readyState === SOCKET_OPEN) enter();
    else socket.addEventListener("open", enter, { once: true });
  }

  /**
   * Fans out a room's new events now. The isolate that committed a write
   * calls this with the committed events, so that its own sockets need not
   * wait for the KV watch nor the fan-out read them back; without `events`
   * the fan-out reads the room's log.
   *
   * @example
   * ```ts
   * // Right after writes to the room have committed:
   * hub.poke("demo", "demo-image", events);
   * ```
   */
  poke(tenant: string, urlId: string, events?: readonly RoomEvent[]): void {
    const room = this.#rooms.get(Room.key(tenant, urlId));
    if (!room) return;
    if (events) room.remember(events);
    else room.unread = true;
    room.schedule(["events"]);
  }

  /** How many rooms and sockets this isolate holds, and their unsent bytes. */
  stats(): HubStats {
    let sockets = 0;
    let bufferedBytes = 0;
    for (const room of this.#rooms.values()) {
      sockets += room.clients.size;
      for (const client of room.clients) {
        bufferedBytes += client.socket.bufferedAmount;
      }
    }
    return { rooms: this.#rooms.size, sockets, bufferedBytes };
  }

  /**
   * Closes every socket and resolves once every room has been let go of
   * (watches stopped, presence cleared). For graceful shutdown and tests.
   *
   * @param code the WebSocket close code sent to clients
   * @param reason the close reason sent to clients
   */
  async closeAll(
    code: number = CLOSE_GOING_AWAY,
    reason = "going away",
  ): Promise<void> {
    const rooms = [...this.#rooms.values()];
    for (const room of rooms) {
      room.sender.flush();
      for (const client of [...room.clients]) {
        closeQuietly(client.socket, code, reason);
        this.#leave(room, client);
      }
    }
    await Promise.all(rooms.map((room) => room.idle()));
  }

  // -------------------------------------------------------------------------
  // Rooms

  #roomFor(tenant: string, urlId: string): Room {
    const existing = this.#rooms.get(Room.key(tenant, urlId));
    if (existing) return existing;
    const sender = new RoomSender<RoomClient>({
      batchMs: this.#batchMs,
      maxBufferedBytes: this.#maxBufferedBytes,
      timers: this.#timers,
      onSent: (messages, bytes) =>
        this.#meter.delivered(tenant, urlId, messages, bytes),
      onOverflow: (client) => {
        this.#logSocket("socket_backpressure", room, client);
        closeQuietly(client.socket, CLOSE_RESYNC, "resync");
        // Its close handshake waits behind what it has not read; its
        // room need not.
        this.#leave(room, client);
      },
    });
    const room: Room = new Room(
      tenant,
      urlId,
      (work) => this.#pass(room, work),
      (err) => this.#onError(err, room.key),
      sender,
    );
    this.#rooms.set(room.key, room);
    this.#watch(room);
    this.#presence.startHeartbeat(() => this.#rooms.values());
    return room;
  }

  #leave(room: Room, client: RoomClient): void {
    if (!room.clients.delete(client)) return;
    room.sender.drop(client);
    this.#meter.viewers(room.tenant, -1);
    this.#logSocket("socket_close", room, client);
    if (room.clients.size > 0) {
      room.announceViewers();
      room.schedule(["presence"]);
    } else {
      room.enqueuePresence(() => this.#closeIfEmpty(room));
    }
  }

  /** Lets go of an empty room: clears its presence, then stops its watch. */
  async #closeIfEmpty(room: Room): Promise<void> {
    if (room.closed || room.clients.size > 0) return;
    await this.#presence.write(room);
    // A socket that joined meanwhile found the room still open; its
    // presence pass, queued after this step, rewrites the presence.
    if (room.clients.size > 0) return;
    room.closed = true;
    room.sender.stop();
    this.#rooms.delete(room.key);
    this.#watches.remove(room.key);
    if (this.#rooms.size === 0) this.#presence.stopHeartbeat();
  }

  /** Watches the room's seq and presence until the room closes. */
  #watch(room: Room): void {
    this.#watches.add(room.key, {
      seqKey: this.#store.roomSeqKey(room.tenant, room.urlId),
      presenceKey: this.#store.presenceRevKey(room.tenant, room.urlId),
      onChange: ({ seq, presence, seqValue }) => {
        const work: Work[] = [];
        if (seq) {
          if (typeof seqValue === "number") room.reached(seqValue);
          else room.unread = true;
          work.push("events");
        }
        if (presence) work.push("users");
        room.schedule(work);
      },
    });
  }

  #logSocket(event: string, room: Room, client: RoomClient): void {
    this.#log({
      event,
      tenant: room.tenant,
      room: room.urlId,
      isolate: this.isolateId,
      seq: client.seq,
    });
  }

  // -------------------------------------------------------------------------
  // Steps on a room's lanes

  /** One pass of a lane: new events, or presence and the viewer count. */
  async #pass(room: Room, work: ReadonlySet<Work>): Promise<void> {
    if (work.has("events")) await this.#fanOut(room);
    if (work.has("presence")) await this.#presence.write(room);
    if (work.has("presence") || work.has("users")) {
      await this.#presence.recount(room);
    }
  }

  /** Sends the room's new events to every synced socket. */
  async #fanOut(room: Room): Promise<void> {
    let since = Infinity;
    for (const client of room.clients) {
      if (client.synced && client.seq < since) since = client.seq;
    }
    if (since === Infinity) {
      // Joining sockets sync from the log, not from remembered events.
      room.forgetThrough(Infinity);
      return;
    }
    // This isolate's own writes are at hand; other isolates' are read.
    let fetched = room.eventsAfter(since);
    if (fetched === null) {
      room.unread = false;
      fetched = await this.#store.listEventsSince(
        room.tenant,
        room.urlId,
        since,
      );
      if (fetched?.length) room.reached(fetched[fetched.length - 1].seq);
    }
    if (fetched === null) {
      // Far too slow to catch up from the log: start these sockets over.
      const snapshot = await this.#store.getRoomSnapshot(
        room.tenant,
        room.urlId,
      );
      for (const client of room.clients) {
        if (client.synced) room.sendSync(client, snapshot);
      }
      return;
    }
    if (fetched.length === 0) return;
    // Serialized once, and sockets at the same seq share one queue.
    const events = fetched.map(serialize);
    const last = fetched[fetched.length - 1].seq;
    const missedSince = new Map<number, Outgoing[]>();
    for (const client of room.clients) {
      if (!client.synced || client.seq >= last) continue;
      let missed = missedSince.get(client.seq);
      if (!missed) {
        const from = fetched.findIndex((e) => e.seq > client.seq);
        missed = from === 0 ? events : events.slice(from);
        missedSince.set(client.seq, missed);
      }
      client.seq = last;
      room.sender.queue(client, missed);
    }
    room.forgetThrough(last);
    room.sender.release();
  }

  /**
   * Sends the sockets that joined since the last such step their `sync`,
   * then the events they missed: one read of the log, and at most one
   * snapshot, however many joined at once.
   */
  async #syncJoining(room: Room): Promise<void> {
    const joining = room.joining.filter((client) => room.clients.has(client));
    room.joining = [];
    if (joining.length === 0) return;
    // The first sockets of a room wait for the first count of its viewers;
    // later ones are counted locally and recounted in the background.
    if (!room.counted) await room.presenceIdle();
    room.announceViewers();
    try {
      const sinces = joining.flatMap((c) => c.since === null ? [] : [c.since]);
      const from = Math.min(...sinces);
      const missed = sinces.length === 0
        ? null
        : await this.#store.listEventsSince(room.tenant, room.urlId, from);
      const seq = from + (missed?.length ?? 0);
      let snapshot: RoomSnapshot | null = null;
      for (const client of joining) {
        const since = client.since;
        if (missed && since !== null && since <= seq) {
          room.sendSync(client, {
            seq,
            events: missed.slice(since - from),
          });
        } else {
          snapshot ??= await this.#store.getRoomSnapshot(
            room.tenant,
            room.urlId,
          );
          room.sendSync(client, snapshot);
        }
      }
    } catch (err) {
      // A socket without its sync would wait forever; closing it makes the
      // client reconnect and ask again.
      this.#onError(err, room.key);
      for (const client of joining) {
        if (!client.synced) {
          closeQuietly(client.socket, 1011, "could not load the room");
        }
      }
    }
  }
}

/** This isolate's hub. */
export const hub: Hub = new Hub({
  isolateId: usageMeter.isolateId,
  meter: usageMeter,
  ...hubOptionsFromEnv(),
});
// Sockets of this isolate need not wait for the KV watch to learn of its
// own writes.
db.onRoomCommit((tenant, urlId, events) => hub.poke(tenant, urlId, events));
