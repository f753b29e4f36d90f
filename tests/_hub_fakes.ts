/**
 * Test doubles of the realtime hub's unit tests: a store whose log and
 * presence live in maps, and a socket that records what it is sent.
 *
 * The two watched entries live in a real in-memory KV, so that `watch`
 * behaves as it does in production; the store itself has its own tests.
 *
 * @module
 */

import type { HubSocket, HubStore } from "../utils/hub.ts";
import {
  type Chat,
  type ImageChat,
  parseFrame,
  type RoomEvent,
  type ServerMessage,
} from "../utils/protocol.ts";

/** The tenant of the fake store's room. */
export const TENANT = "t1";
/** The room of the fake store. */
export const URL_ID = "img-1";

/** A hub store in memory, with one room. */
export class FakeStore implements HubStore {
  /** Events at or below this seq have left the log. */
  logFloor = 0;
  events: RoomEvent[] = [];
  chats = new Map<string, Chat>();
  presence = new Map<string, number>();

  constructor(readonly kv: Deno.Kv) {}

  getKv(): Promise<Deno.Kv> {
    return Promise.resolve(this.kv);
  }
  roomSeqKey(tenant: string, urlId: string): Deno.KvKey {
    return [tenant, "seq", urlId];
  }
  presenceRevKey(tenant: string, urlId: string): Deno.KvKey {
    return [tenant, "presence-rev", urlId];
  }
  listEventsSince(
    _tenant: string,
    _urlId: string,
    since: number,
  ): Promise<RoomEvent[] | null> {
    if (since < this.logFloor || since > this.events.length) {
      return Promise.resolve(null);
    }
    return Promise.resolve(this.events.filter((e) => e.seq > since));
  }
  getRoomSnapshot(): Promise<{ seq: number; chats: Chat[] }> {
    return Promise.resolve({
      seq: this.events.length,
      chats: [...this.chats.values()],
    });
  }
  async setPresence(
    tenant: string,
    urlId: string,
    isolateId: string,
    count: number,
  ): Promise<void> {
    if (count === 0) this.presence.delete(isolateId);
    else this.presence.set(isolateId, count);
    await this.kv.set(this.presenceRevKey(tenant, urlId), crypto.randomUUID());
  }
  countPresence(): Promise<number> {
    let total = 0;
    for (const count of this.presence.values()) total += count;
    return Promise.resolve(total);
  }

  /**
   * Commits a new marker the way the store does: log, then bump the seq.
   * Without `notify` the watched entry stays as it was.
   */
  async createChat(
    broadcastId: string = crypto.randomUUID(),
    { notify = true } = {},
  ): Promise<RoomEvent> {
    const seq = this.events.length + 1;
    const chat: ImageChat = {
      id: `chat-${seq}`,
      urlId: URL_ID,
      src: "/a.png",
      x: 10,
      y: 20,
      commentCount: 1,
      createdAt: seq,
      createdBy: { id: "u1", name: "Ada" },
    };
    const event: RoomEvent = {
      type: "new-image-chat",
      urlId: URL_ID,
      seq,
      broadcastId,
      chat,
    };
    this.chats.set(chat.id, chat);
    this.events.push(event);
    if (notify) await this.kv.set(this.roomSeqKey(TENANT, URL_ID), seq);
    return event;
  }
}

/** A socket that records frames and close codes. */
export class FakeSocket extends EventTarget implements HubSocket {
  readyState: WebSocket["readyState"] = WebSocket.OPEN;
  frames: string[] = [];
  closeCode: number | null = null;

  send(data: string): void {
    if (this.readyState !== WebSocket.OPEN) throw new Error("socket closed");
    this.frames.push(data);
  }
  close(code?: number): void {
    if (this.readyState === WebSocket.CLOSED) return;
    this.closeCode = code ?? 1005;
    this.readyState = WebSocket.CLOSED;
    this.dispatchEvent(new Event("close"));
  }
  open(): void {
    this.readyState = WebSocket.OPEN;
    this.dispatchEvent(new Event("open"));
  }
  receive(data: string): void {
    this.dispatchEvent(new MessageEvent("message", { data }));
  }
  messages(): ServerMessage[] {
    return this.frames.flatMap((frame) => parseFrame(frame));
  }
  async waitFor(
    predicate: (messages: ServerMessage[]) => boolean,
    timeoutMs = 3_000,
  ): Promise<ServerMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages())) {
      if (Date.now() > deadline) {
        throw new Error(`timed out; got ${JSON.stringify(this.messages())}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.messages();
  }
}
