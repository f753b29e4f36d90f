/**
 * Small parts the live room is built from: the browser's online state, timer
 * injection, the bounded set of the client's own broadcast ids, and the
 * bookkeeping of writes whose echo has not arrived yet.
 *
 * @module
 */

/** The browser's idea of being online, and its changes. */
export interface Connectivity {
  isOnline(): boolean;
  /** Calls `onChange` on every change; returns the unsubscribe function. */
  subscribe(onChange: (online: boolean) => void): () => void;
}

/** `navigator.onLine` and the window's `online` / `offline` events. */
export function windowConnectivity(
  target: EventTarget = globalThis,
): Connectivity {
  return {
    isOnline: () => globalThis.navigator?.onLine ?? true,
    subscribe(onChange) {
      const online = () => onChange(true);
      const offline = () => onChange(false);
      target.addEventListener("online", online);
      target.addEventListener("offline", offline);
      return () => {
        target.removeEventListener("online", online);
        target.removeEventListener("offline", offline);
      };
    },
  };
}

/** What `setTimeout` returns. */
export type TimerId = ReturnType<typeof setTimeout>;

/** Timer functions, injectable so tests control time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/** The global timers. */
export const DEFAULT_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};

/** A set that remembers only the `limit` most recently added ids. */
export class RecentIds {
  readonly #ids = new Set<string>();
  constructor(readonly limit: number) {}

  add(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > this.limit) {
      this.#ids.delete(this.#ids.values().next().value!);
    }
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  get size(): number {
    return this.#ids.size;
  }
}

/** What one of the client's writes changes until its echo arrives. */
interface PendingWrite {
  chatId: string;
  /** Added to a chat's comment count (events from others lack it). */
  countDelta?: number;
  /** Deleted the chat (events from others must not bring it back). */
  deletesChat?: boolean;
  /** The server accepted it (only its echo is still to come). */
  settled?: boolean;
}

/**
 * The client's writes whose broadcast has not come back yet. Another
 * client's event can carry a chat as it was before one of these writes, so
 * the room layers these changes on top of such events.
 */
export class PendingWrites {
  readonly #writes = new Map<string, PendingWrite>();

  add(broadcastId: string, write: PendingWrite): void {
    this.#writes.set(broadcastId, write);
  }

  /** The server accepted the write; its effect lasts until the echo. */
  settle(broadcastId: string): void {
    const write = this.#writes.get(broadcastId);
    if (write) write.settled = true;
  }

  /** The echo arrived, or the write failed. */
  delete(broadcastId: string): void {
    this.#writes.delete(broadcastId);
  }

  /** A fresh snapshot includes every accepted write. */
  forgetSettled(): void {
    for (const [id, write] of this.#writes) {
      if (write.settled) this.#writes.delete(id);
    }
  }

  /** The sum of pending comment-count changes of a chat. */
  countDelta(chatId: string): number {
    let delta = 0;
    for (const write of this.#writes.values()) {
      if (write.chatId === chatId) delta += write.countDelta ?? 0;
    }
    return delta;
  }

  /** True when a pending write deletes the chat. */
  deletes(chatId: string): boolean {
    for (const write of this.#writes.values()) {
      if (write.chatId === chatId && write.deletesChat) return true;
    }
    return false;
  }
}
