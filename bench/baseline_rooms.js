// @ts-check
/**
 * The part of Tack's wire API that the load generator uses, kept in memory
 * with no validation and no persistence: sessions, image chats, comments, a
 * per-room `seq` and a bounded event log for `since` resync. Both baseline
 * servers share it (the Deno ceiling and the Socket.IO server on Node), so the
 * only difference between them is how they fan events out.
 *
 * Plain JavaScript with JSDoc types so that Node runs it as it is.
 *
 * @module
 */

/** Events kept per room for `since` resync, as Tack keeps at least 1,000. */
const LOG_SIZE = 1_000;

/**
 * @typedef {{ type: string, urlId: string, seq: number, broadcastId: string,
 *   chat: { id: string }, comment?: unknown }} BaselineEvent
 * @typedef {{ seq: number, log: BaselineEvent[],
 *   chats: Array<Record<string, unknown>> }} BaselineRoom
 * @typedef {{ status: number, body: unknown }} BaselineResponse
 */

/** Rooms, chats and the REST routes that write to them. */
export class BaselineRooms {
  /** @type {Map<string, BaselineRoom>} */
  rooms = new Map();
  /** @type {Map<string, string>} chat id → urlId */
  chatRooms = new Map();
  #nextId = 0;
  /** @type {(urlId: string, event: BaselineEvent) => void} */
  #publish;

  /**
   * @param {(urlId: string, event: BaselineEvent) => void} publish called
   *   once per committed event; the server relays it to the room's sockets.
   */
  constructor(publish) {
    this.#publish = publish;
  }

  /**
   * The room for `urlId`, created empty on first use.
   * @param {string} urlId
   * @returns {BaselineRoom}
   */
  room(urlId) {
    let room = this.rooms.get(urlId);
    if (!room) {
      room = { seq: 0, log: [], chats: [] };
      this.rooms.set(urlId, room);
    }
    return room;
  }

  /**
   * What a socket that connects with `since` receives first: the sync
   * message, then the missed events when the log still has them.
   *
   * @example
   * ```js
   * const { sync, missed } = rooms.resync("a", 3);
   * ```
   * @param {string} urlId
   * @param {number | null} since
   * @returns {{ sync: Record<string, unknown>, missed: BaselineEvent[] }}
   */
  resync(urlId, since) {
    const room = this.room(urlId);
    const oldest = room.log.length > 0 ? room.log[0].seq : room.seq + 1;
    const recovered = since !== null && since >= oldest - 1 &&
      since <= room.seq;
    const sync = { type: "sync", urlId, seq: room.seq, recovered, users: 0 };
    if (!recovered) return { sync: { ...sync, chats: room.chats }, missed: [] };
    return { sync, missed: room.log.filter((event) => event.seq > since) };
  }

  /**
   * Serves one REST request of the generator's API subset.
   *
   * @example
   * ```js
   * rooms.handle("POST", "/api/v1/demo/sessions", new URLSearchParams(), {});
   * ```
   * @param {string} method
   * @param {string} pathname
   * @param {URLSearchParams} query
   * @param {any} body the parsed JSON body, or null
   * @returns {BaselineResponse}
   */
  handle(method, pathname, query, body) {
    const parts = pathname.split("/").filter(Boolean); // api v1 tenant …
    const route = `${method} ${parts.slice(3).join("/")}`;
    if (route === "POST sessions") {
      const user = { id: this.#id(), name: String(body?.name ?? "") };
      return { status: 201, body: { token: user.id, user } };
    }
    if (route === "GET image-chats") {
      const room = this.room(query.get("urlId") ?? "");
      return {
        status: 200,
        body: { urlId: query.get("urlId"), seq: room.seq, chats: room.chats },
      };
    }
    if (route === "POST image-chats") {
      const chat = { ...body, id: this.#id(), commentCount: 1 };
      this.chatRooms.set(chat.id, body.urlId);
      this.room(body.urlId).chats.push(chat);
      const seq = this.#append(body.urlId, "new-image-chat", body, chat);
      return { status: 201, body: { chat, comment: body, seq } };
    }
    if (method === "POST" && parts[3] === "chats" && parts[5] === "comments") {
      const urlId = this.chatRooms.get(parts[4]);
      if (urlId === undefined) return { status: 404, body: { error: {} } };
      const comment = { ...body, id: this.#id(), chatId: parts[4] };
      const seq = this.#append(urlId, "image-chat-updated", body, {
        id: parts[4],
      }, comment);
      return { status: 201, body: { comment, seq } };
    }
    return { status: 404, body: { error: { code: "not_found" } } };
  }

  /**
   * @param {string} urlId
   * @param {string} type
   * @param {any} body
   * @param {{ id: string }} chat
   * @param {unknown} [comment]
   */
  #append(urlId, type, body, chat, comment) {
    const room = this.room(urlId);
    room.seq++;
    const event = {
      type,
      urlId,
      seq: room.seq,
      broadcastId: body.broadcastId,
      chat,
      comment,
    };
    room.log.push(event);
    if (room.log.length > LOG_SIZE) room.log.shift();
    this.#publish(urlId, event);
    return room.seq;
  }

  #id() {
    return (++this.#nextId).toString(36);
  }
}
