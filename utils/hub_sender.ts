/**
 * What goes out to one socket, and when: messages are serialized once per
 * fan-out pass and shared by every socket, batched per socket within a short
 * window, and a socket that stops reading is dropped instead of buffered
 * for without end.
 *
 * @module
 */

import { type HubSocket, SOCKET_OPEN } from "./hub_socket.ts";

/** One message, serialized: its JSON text and that text's size in UTF-8. */
export interface Outgoing {
  json: string;
  bytes: number;
}

const encoder = new TextEncoder();

/**
 * Serializes a message once, so that a fan-out to many sockets neither
 * stringifies nor measures it again per socket.
 *
 * @example
 * ```ts
 * const out = serialize({ type: "users", urlId: "a", count: 3 });
 * sender.push([out]);
 * ```
 */
export function serialize(message: unknown): Outgoing {
  const json = JSON.stringify(message);
  return { json, bytes: encoder.encode(json).byteLength };
}

/** A pending timer of {@linkcode Timers}. */
export type TimerId = ReturnType<typeof setTimeout>;

/** The clock and timers of the hub; injectable so tests control time. */
export interface Timers {
  /** Milliseconds, from any fixed origin. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  /** A background interval, such as a heartbeat. */
  setInterval(fn: () => void, ms: number): TimerId;
  clearInterval(id: TimerId): void;
}

/** The global clock and timers. */
export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
  setInterval: (fn, ms) => {
    const id = setInterval(fn, ms);
    // Background work alone must never keep a process alive.
    Deno.unrefTimer(id);
    return id;
  },
  clearInterval: (id) => clearInterval(id),
};

/** Options of {@linkcode SocketSender}. */
export interface SenderOptions {
  /**
   * After a frame goes out, messages for the same socket within this many
   * milliseconds wait and leave together as one array frame. A socket that
   * was sent nothing for this long gets its next message at once.
   * @default 10
   */
  batchMs?: number;
  /**
   * When a frame is due while the socket still holds more than this many
   * unsent bytes, the client is not keeping up: `onOverflow` is called and
   * nothing more is sent.
   * @default 1_048_576 (1 MiB)
   */
  maxBufferedBytes?: number;
  /** @default {@linkcode realTimers} */
  timers?: Timers;
  /** Called after each frame with its message count and UTF-8 size. */
  onSent?: (messages: number, bytes: number) => void;
  /** Called once when the client has fallen too far behind. */
  onOverflow?: () => void;
}

/** The frames of one socket: batching and backpressure. */
export class SocketSender {
  #socket: HubSocket;
  #batchMs: number;
  #maxBufferedBytes: number;
  #timers: Timers;
  #onSent: (messages: number, bytes: number) => void;
  #onOverflow: () => void;
  #pending: Outgoing[] = [];
  #timer: TimerId | null = null;
  #lastSentAt = -Infinity;
  #stopped = false;

  constructor(socket: HubSocket, options: SenderOptions = {}) {
    this.#socket = socket;
    this.#batchMs = options.batchMs ?? 10;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 1_048_576;
    this.#timers = options.timers ?? realTimers;
    this.#onSent = options.onSent ?? (() => {});
    this.#onOverflow = options.onOverflow ?? (() => {});
  }

  /**
   * Queues messages for the socket: sent now if the socket has been quiet
   * for a whole window, else with whatever else arrives before it ends.
   *
   * @example
   * ```ts
   * sender.push(events.map(serialize));
   * ```
   */
  push(messages: Outgoing[]): void {
    if (this.#stopped || messages.length === 0) return;
    for (const message of messages) this.#pending.push(message);
    if (this.#timer !== null) return;
    const wait = this.#lastSentAt + this.#batchMs - this.#timers.now();
    if (wait <= 0) {
      this.flush();
    } else {
      this.#timer = this.#timers.setTimeout(() => {
        this.#timer = null;
        this.flush();
      }, wait);
    }
  }

  /** Sends whatever is queued now, as one frame. */
  flush(): void {
    this.#cancelTimer();
    const messages = this.#pending;
    this.#pending = [];
    if (this.#stopped || messages.length === 0) return;
    if (this.#socket.readyState !== SOCKET_OPEN) return;
    if (this.#socket.bufferedAmount > this.#maxBufferedBytes) {
      this.stop();
      this.#onOverflow();
      return;
    }
    const frame = frameOf(messages);
    try {
      this.#socket.send(frame.json);
    } catch {
      return; // Closed between the check and the send.
    }
    this.#lastSentAt = this.#timers.now();
    this.#onSent(messages.length, frame.bytes);
  }

  /** Drops anything queued and sends nothing more. */
  stop(): void {
    this.#stopped = true;
    this.#pending = [];
    this.#cancelTimer();
  }

  #cancelTimer(): void {
    if (this.#timer === null) return;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** One frame: a lone message as itself, several as a JSON array. */
function frameOf(messages: Outgoing[]): Outgoing {
  if (messages.length === 1) return messages[0];
  let bytes = messages.length + 1; // the brackets and the commas
  for (const message of messages) bytes += message.bytes;
  return { json: `[${messages.map((m) => m.json).join(",")}]`, bytes };
}
