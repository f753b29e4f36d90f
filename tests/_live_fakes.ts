/**
 * Fakes for the browser's live connection: a socket the test drives, timers
 * the test fires, and a network the test switches on and off.
 *
 * @module
 */
import type { SocketLike } from "../utils/live_socket.ts";
import type { Connectivity, TimerId, Timers } from "../utils/live_support.ts";

/** A socket the test drives; it records what it is sent. */
export class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  sent: unknown[] = [];
  closed = false;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.(new Event("close") as CloseEvent);
  }
  /** The server closes the socket with `code`. */
  closeWith(code: number) {
    this.closed = true;
    this.onclose?.(new CloseEvent("close", { code }));
  }
  /** Delivers one frame from the server. */
  receive(message: unknown) {
    this.onmessage?.(
      new MessageEvent("message", { data: JSON.stringify(message) }),
    );
  }
}

/** Timers that run only when the test fires them. */
export class FakeTimers implements Timers {
  #next = 1;
  pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.#next++;
    this.pending.set(id, { fn, ms });
    return id as unknown as TimerId;
  }
  clearTimeout(id: TimerId) {
    this.pending.delete(id as unknown as number);
  }
  /** Runs every timer due now. */
  fireAll() {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, timer] of due) timer.fn();
  }
}

/** A network the test switches on and off. */
export class FakeNetwork implements Connectivity {
  online = true;
  #listeners = new Set<(online: boolean) => void>();
  isOnline() {
    return this.online;
  }
  subscribe(fn: (online: boolean) => void) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
  set(online: boolean) {
    this.online = online;
    for (const fn of this.#listeners) fn(online);
  }
}
