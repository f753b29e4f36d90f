/**
 * Test doubles of the realtime hub's unit tests: a store whose log and
 * presence live in maps, and a socket that records what it is sent.
 *
 * The two watched entries live in a real in-memory KV, so that `watch`
 * behaves as it does in production; the store itself has its own tests.
 *
 * @module
 */

import { storedMarker } from "./_api.ts";
import type { HubSocket, HubStore, Timers } from "../utils/hub.ts";
import type { PresenceCount } from "../utils/db.ts";
import type { TimerId } from "../utils/hub_sender.ts";
import {
  type Chat,
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
  /** Each isolate's viewers of the room. */
  presence = new Map<string, number>();
  /** When each isolate's beat runs out, on the store's clock. */
  beats = new Map<string, number>();
  /** The `visible` count each `setPresence` call was given, in order. */
  presenceVisible: number[] = [];
  /** How many times an isolate beat. */
  beatCalls = 0;
  /** How many times the viewers were counted. */
  countCalls = 0;
  /** How many times the log was read. */
  listCalls = 0;

  /** @param now the clock that beats are read against */
  constructor(readonly kv: Deno.Kv, readonly now: () => number = Date.now) {}

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
    this.listCalls++;
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
    visible: number,
  ): Promise<void> {
    this.presenceVisible.push(visible);
    if (count > 0) this.presence.set(isolateId, count);
    else this.presence.delete(isolateId);
    if (count !== visible) {
      await this.kv.set(
        this.presenceRevKey(tenant, urlId),
        crypto.randomUUID(),
      );
    }
  }
  beatIsolate(isolateId: string, ttlMs: number): Promise<void> {
    this.beatCalls++;
    this.beats.set(isolateId, this.now() + ttlMs);
    return Promise.resolve();
  }
  /** Milliseconds left of an isolate's beat; 0 for none. */
  beatLeft(isolateId: string): number {
    return Math.max(0, (this.beats.get(isolateId) ?? 0) - this.now());
  }
  readBeats(isolateIds: readonly string[]): Promise<Map<string, number>> {
    return Promise.resolve(
      new Map(isolateIds.map((id) => [id, this.beatLeft(id)])),
    );
  }
  countPresence(
    _tenant: string,
    _urlId: string,
    self: string,
  ): Promise<PresenceCount> {
    this.countCalls++;
    let others = 0;
    const beats = new Map<string, number>();
    for (const [isolateId, count] of this.presence) {
      if (isolateId === self) continue;
      const left = this.beatLeft(isolateId);
      if (left > 0) {
        others += count;
        beats.set(isolateId, left);
      } else this.presence.delete(isolateId);
    }
    return Promise.resolve({ others, beats });
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
    const chat = storedMarker(`chat-${seq}`, URL_ID, seq);
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
  /** Unsent bytes, as a test sets it: the fake sends everything at once. */
  bufferedAmount = 0;
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

/**
 * Timers that run only when a test advances the clock, so that tests of
 * timing (batching windows, heartbeats, expiry) neither sleep nor flake.
 */
export class FakeTimers implements Timers {
  #now = 0;
  #nextId = 1;
  #due = new Map<number, { at: number; fn: () => void; every?: number }>();

  now(): number {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): TimerId {
    return this.#add({ at: this.#now + ms, fn });
  }
  clearTimeout(id: TimerId): void {
    this.#due.delete(id as unknown as number);
  }
  setInterval(fn: () => void, ms: number): TimerId {
    return this.#add({ at: this.#now + ms, fn, every: ms });
  }
  clearInterval(id: TimerId): void {
    this.clearTimeout(id);
  }
  /** How many timers are pending. */
  get pending(): number {
    return this.#due.size;
  }
  /** Moves the clock to `time`, running every timer due by then in order. */
  advanceTo(time: number): void {
    for (;;) {
      let next:
        | [number, { at: number; fn: () => void; every?: number }]
        | null = null;
      for (const entry of this.#due) {
        if (entry[1].at <= time && (!next || entry[1].at < next[1].at)) {
          next = entry;
        }
      }
      if (!next) break;
      const [id, timer] = next;
      this.#now = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.#due.delete(id);
      timer.fn();
    }
    this.#now = time;
  }
  #add(timer: { at: number; fn: () => void; every?: number }): TimerId {
    const id = this.#nextId++;
    this.#due.set(id, timer);
    return id as unknown as TimerId;
  }
}
