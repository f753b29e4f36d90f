/**
 * The realtime hub: the WebSockets this isolate owns, grouped by room
 * (tenant + urlId), and the fan-out of each room's committed events to them.
 *
 * Every isolate runs its own hub. For each room with local sockets the hub
 * `watch`es the room's sequence entry and its presence revision in KV; any
 * write in any isolate bumps the sequence, so every isolate learns of it and
 * reads the new events from the room's log. Fetch and fan-out run through
 * one promise chain per room, so events go out in `seq` order, and each
 * socket remembers the last `seq` it was sent, so it gets nothing twice.
 *
 * @module
 */

import * as db from "./db.ts";
import type {
  Chat,
  RoomEvent,
  ServerMessage,
  SyncMessage,
  UsersMessage,
} from "./protocol.ts";
import { LIMITS } from "./protocol.ts";
import { Room, type RoomClient, type Work } from "./hub_room.ts";
import {
  answerClientFrame,
  closeQuietly,
  type HubSocket,
  sendFrame as send,
  SOCKET_OPEN,
} from "./hub_socket.ts";

export type { HubSocket } from "./hub_socket.ts";

/** The store functions the hub reads and writes through. */
export type HubStore = Pick<
  typeof db,
  | "getKv"
  | "roomSeqKey"
  | "presenceRevKey"
  | "listEventsSince"
  | "getRoomSnapshot"
  | "setPresence"
  | "countPresence"
>;

/** Options of {@linkcode Hub}. */
export interface HubOptions {
  /**
   * Where rooms, events and presence live.
   * @default the KV store of `utils/db.ts`
   */
  store?: HubStore;
  /**
   * Identifies this isolate's presence entries.
   * @default crypto.randomUUID()
   */
  isolateId?: string;
  /**
   * How often the presence of every local room is rewritten and recounted.
   * @default 10_000
   */
  heartbeatMs?: number;
  /**
   * How long a presence entry lives unless rewritten, so that the viewers of
   * a crashed isolate drop out of the count.
   * @default 30_000
   */
  presenceTtlMs?: number;
  /**
   * Largest client frame, in bytes; a bigger one closes the socket with 1009.
   * @default 65_536
   */
  maxFrameBytes?: number;
  /**
   * Reports a failed store call or watch; the hub carries on either way.
   * @default logs to the console
   */
  onError?: (error: unknown, room: string) => void;
}

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
}

/** The realtime hub of one isolate. Most code uses the {@linkcode hub} singleton. */
export class Hub {
  readonly isolateId: string;
  #store: HubStore;
  #heartbeatMs: number;
  #presenceTtlMs: number;
  #maxFrameBytes: number;
  #onError: (error: unknown, room: string) => void;
  #rooms = new Map<string, Room>();
  #heartbeat: ReturnType<typeof setInterval> | null = null;

  constructor(options: HubOptions = {}) {
    this.#store = options.store ?? db;
    this.isolateId = options.isolateId ?? crypto.randomUUID();
    this.#heartbeatMs = options.heartbeatMs ?? 10_000;
    this.#presenceTtlMs = options.presenceTtlMs ?? 30_000;
    this.#maxFrameBytes = options.maxFrameBytes ?? LIMITS.bodyBytesMax;
    this.#onError = options.onError ??
      ((error, room) => console.error(`hub: room ${room}:`, error));
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
    const client: RoomClient = {
      socket,
      since: request.since,
      seq: 0,
      synced: false,
    };
    let room: Room | null = null;
    socket.addEventListener(
      "message",
      (e) => answerClientFrame(socket, e.data, this.#maxFrameBytes),
    );
    socket.addEventListener("close", () => {
      if (room) this.#leave(room, client);
    });
    const enter = () => {
      room = this.#roomFor(request.tenant, request.urlId);
      room.clients.add(client);
      room.enqueue(() => this.#sync(room!, client));
    };
    if (socket.readyState === SOCKET_OPEN) enter();
    else socket.addEventListener("open", enter, { once: true });
  }

  /**
   * Fans out a room's new events now. The isolate that committed a write
   * calls this so that its own sockets need not wait for the KV watch.
   *
   * @example
   * ```ts
   * // Right after a write to the room has committed:
   * hub.poke("demo", "demo-image");
   * ```
   */
  poke(tenant: string, urlId: string): void {
    this.#rooms.get(Room.key(tenant, urlId))?.schedule(["events"]);
  }

  /** How many rooms and sockets this isolate holds. */
  stats(): HubStats {
    let sockets = 0;
    for (const room of this.#rooms.values()) sockets += room.clients.size;
    return { rooms: this.#rooms.size, sockets };
  }

  /**
   * Closes every socket and resolves once every room has been let go of
   * (watches stopped, presence cleared). For graceful shutdown and tests.
   *
   * @param code the WebSocket close code sent to clients
   * @param reason the close reason sent to clients
   */
  async closeAll(code = 1001, reason = "server shutting down"): Promise<void> {
    const rooms = [...this.#rooms.values()];
    for (const room of rooms) {
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
    const room: Room = new Room(
      tenant,
      urlId,
      (work) => this.#pass(room, work),
      (err) => this.#onError(err, room.key),
    );
    this.#rooms.set(room.key, room);
    this.#watch(room).catch((err) => this.#onError(err, room.key));
    this.#startHeartbeat();
    return room;
  }

  #leave(room: Room, client: RoomClient): void {
    if (!room.clients.delete(client)) return;
    if (room.clients.size > 0) {
      room.schedule(["presence", "users"]);
    } else {
      room.enqueue(() => this.#closeIfEmpty(room));
    }
  }

  /** Lets go of an empty room: clears its presence, then stops its watch. */
  async #closeIfEmpty(room: Room): Promise<void> {
    if (room.closed || room.clients.size > 0) return;
    await this.#writePresence(room);
    // A socket that joined meanwhile found the room still open; its sync,
    // queued after this step, rewrites the presence.
    if (room.clients.size > 0) return;
    room.closed = true;
    this.#rooms.delete(room.key);
    await room.watch?.cancel().catch(() => {});
    if (this.#rooms.size === 0) this.#stopHeartbeat();
  }

  /** Runs one watch per room until the room closes. */
  async #watch(room: Room): Promise<void> {
    const kv = await this.#store.getKv();
    if (room.closed) return;
    const keys = [
      this.#store.roomSeqKey(room.tenant, room.urlId),
      this.#store.presenceRevKey(room.tenant, room.urlId),
    ];
    const reader = kv.watch(keys).getReader();
    room.watch = reader;
    let seqVersion: string | null = null;
    let presenceVersion: string | null = null;
    while (!room.closed) {
      const { done, value } = await reader.read();
      if (done) break;
      // Versions coalesce: one notification may stand for many writes, and
      // the first one reports the current state, covering writes made
      // between a join's sync and the start of this watch.
      const [seqEntry, presenceEntry] = value;
      const work: Work[] = [];
      if (seqEntry.versionstamp !== seqVersion) work.push("events");
      if (presenceEntry.versionstamp !== presenceVersion) work.push("users");
      seqVersion = seqEntry.versionstamp;
      presenceVersion = presenceEntry.versionstamp;
      room.schedule(work);
    }
  }

  // -------------------------------------------------------------------------
  // Steps on a room's queue

  /** One fan-out pass: new events and a changed viewer count, batched. */
  async #pass(room: Room, work: ReadonlySet<Work>): Promise<void> {
    if (work.has("presence")) await this.#writePresence(room);
    const synced = room.synced();
    if (synced.length === 0) return;

    let events: RoomEvent[] = [];
    if (work.has("events")) {
      const since = Math.min(...synced.map((c) => c.seq));
      const fetched = await this.#store.listEventsSince(
        room.tenant,
        room.urlId,
        since,
      );
      if (fetched === null) {
        // Far too slow to catch up from the log: start these sockets over.
        for (const client of synced) await this.#sendSnapshot(room, client);
        return;
      }
      events = fetched;
    }
    const users = work.has("users") ? await this.#recount(room) : null;

    for (const client of synced) {
      const missed = events.filter((e) => e.seq > client.seq);
      if (missed.length > 0) client.seq = missed[missed.length - 1].seq;
      const messages: ServerMessage[] = users ? [...missed, users] : missed;
      send(client.socket, messages);
    }
  }

  /** Sends a joining socket its `sync`, then any events it missed. */
  async #sync(room: Room, client: RoomClient): Promise<void> {
    if (!room.clients.has(client)) return;
    await this.#writePresence(room);
    const users = await this.#recount(room);
    // The others learn of the newcomer; the newcomer gets the count in sync.
    if (users) {
      for (const other of room.clients) {
        if (other.synced) send(other.socket, [users]);
      }
    }
    try {
      const since = client.since;
      const missed = since === null
        ? null
        : await this.#store.listEventsSince(room.tenant, room.urlId, since);
      if (missed === null) return await this.#sendSnapshot(room, client);
      client.seq = missed.at(-1)?.seq ?? since!;
      client.synced = true;
      send(client.socket, [syncMessage(room, client.seq)]);
      send(client.socket, missed);
    } catch (err) {
      // A socket without its sync would wait forever; closing it makes the
      // client reconnect and ask again.
      this.#onError(err, room.key);
      closeQuietly(client.socket, 1011, "could not load the room");
    }
  }

  async #sendSnapshot(room: Room, client: RoomClient): Promise<void> {
    const { seq, chats } = await this.#store.getRoomSnapshot(
      room.tenant,
      room.urlId,
    );
    client.seq = seq;
    client.synced = true;
    send(client.socket, [syncMessage(room, seq, chats)]);
  }

  // -------------------------------------------------------------------------
  // Presence

  // Presence failures are logged and left to the next heartbeat: a stale
  // viewer count must never hold up events.

  async #writePresence(room: Room): Promise<void> {
    await this.#store.setPresence(
      room.tenant,
      room.urlId,
      this.isolateId,
      room.clients.size,
      this.#presenceTtlMs,
    ).catch((err) => this.#onError(err, room.key));
  }

  /** Counts the room's viewers; returns a `users` message if that changed. */
  async #recount(room: Room): Promise<UsersMessage | null> {
    const count = await this.#store.countPresence(room.tenant, room.urlId)
      .catch((err) => this.#onError(err, room.key));
    if (count === undefined || count === room.users) return null;
    room.users = count;
    return { type: "users", urlId: room.urlId, count };
  }

  #startHeartbeat(): void {
    if (this.#heartbeat !== null) return;
    const timer = setInterval(() => {
      for (const room of this.#rooms.values()) {
        room.schedule(["presence", "users"]);
      }
    }, this.#heartbeatMs);
    // The heartbeat alone must never keep a process alive.
    Deno.unrefTimer(timer);
    this.#heartbeat = timer;
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat === null) return;
    clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }
}

/** This isolate's hub. */
export const hub: Hub = new Hub();

/** A `sync` message: a snapshot when `chats` is given, else a recovery. */
function syncMessage(room: Room, seq: number, chats?: Chat[]): SyncMessage {
  const sync: SyncMessage = {
    type: "sync",
    urlId: room.urlId,
    seq,
    recovered: chats === undefined,
    users: room.users,
  };
  if (chats) sync.chats = chats;
  return sync;
}
