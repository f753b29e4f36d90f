/**
 * What goes out to a room's sockets, and when. A fan-out pass queues the same
 * messages for every socket that is caught up, so the sender shares them:
 * queues are shared arrays, each distinct queue is framed and serialized
 * once, and the room (not each socket) keeps one batching timer. A socket
 * that stops reading is dropped instead of buffered for without end; its
 * unsent bytes are read only when they could be over the bound.
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
 * sender.queue(client, [out]);
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

/** A socket as the sender sees it: the socket and what waits for it. */
export interface Recipient {
  readonly socket: HubSocket;
  /**
   * Messages queued and not yet sent, or null. The sender owns this field;
   * the array may be shared with other recipients and is never mutated.
   */
  pending: Outgoing[] | null;
  /**
   * At least the socket's unsent bytes: what it held when last read plus
   * what was sent since (its buffer grows only by our sends; pongs aside,
   * which are tiny). The sender owns this field; start it at 0.
   */
  unsentBound: number;
}

/** Options of {@linkcode RoomSender}. */
export interface SenderOptions<R extends Recipient> {
  /**
   * After a frame goes out, messages for the room within this many
   * milliseconds wait and leave together, as one array frame per socket.
   * A room that was sent nothing for this long gets its next pass at once.
   * @default 10
   */
  batchMs?: number;
  /**
   * When a frame is due while its socket still holds more than this many
   * unsent bytes, the client is not keeping up: `onOverflow` is called and
   * the socket is sent nothing more.
   * @default 1_048_576 (1 MiB)
   */
  maxBufferedBytes?: number;
  /** @default {@linkcode realTimers} */
  timers?: Timers;
  /**
   * Called after each flush with the messages and UTF-8 bytes sent, summed
   * over the sockets.
   */
  onSent?: (messages: number, bytes: number) => void;
  /** Called once per recipient that has fallen too far behind. */
  onOverflow?: (recipient: R) => void;
}

/** The frames of one room's sockets: shared framing, batching, backpressure. */
export class RoomSender<R extends Recipient> {
  #batchMs: number;
  #maxBufferedBytes: number;
  #timers: Timers;
  #onSent: (messages: number, bytes: number) => void;
  #onOverflow: (recipient: R) => void;
  /** Recipients with something pending (a dropped one has `pending` null). */
  #waiting: R[] = [];
  /** Shared queue → messages queued after it → the queue they make. */
  #joined = new Map<Outgoing[], Map<Outgoing[], Outgoing[]>>();
  #timer: TimerId | null = null;
  #lastSentAt = -Infinity;

  constructor(options: SenderOptions<R> = {}) {
    this.#batchMs = options.batchMs ?? 10;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 1_048_576;
    this.#timers = options.timers ?? realTimers;
    this.#onSent = options.onSent ?? (() => {});
    this.#onOverflow = options.onOverflow ?? (() => {});
  }

  /**
   * Queues messages for one recipient; nothing is sent until
   * {@linkcode release} or {@linkcode flush}. Recipients that had the same
   * queue and are given the same `messages` array end up sharing one queue,
   * so a pass to caught-up sockets is framed once.
   *
   * @example
   * ```ts
   * for (const client of clients) sender.queue(client, events);
   * sender.release();
   * ```
   */
  queue(recipient: R, messages: Outgoing[]): void {
    if (messages.length === 0) return;
    const before = recipient.pending;
    if (before === null) {
      recipient.pending = messages;
      this.#waiting.push(recipient);
      return;
    }
    let after = this.#joined.get(before);
    if (!after) this.#joined.set(before, after = new Map());
    let queued = after.get(messages);
    if (!queued) after.set(messages, queued = before.concat(messages));
    recipient.pending = queued;
  }

  /**
   * Sends what is queued now if the room has been quiet for a whole window,
   * else when the window ends. Call once per pass, after queueing.
   *
   * @example
   * ```ts
   * sender.queue(client, [users]);
   * sender.release();
   * ```
   */
  release(): void {
    if (this.#timer !== null || this.#waiting.length === 0) return;
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

  /**
   * Sends one recipient's queue now, ahead of the room's window: a joining
   * socket's `sync` must not wait for the others' batch.
   *
   * @example
   * ```ts
   * sender.queue(client, [sync]);
   * sender.sendNow(client);
   * ```
   */
  sendNow(recipient: R): void {
    const messages = recipient.pending;
    if (messages === null) return;
    recipient.pending = null;
    const frame = this.#send(recipient, messages, new Map());
    if (frame) this.#onSent(messages.length, frame.bytes);
  }

  /** Sends everything queued now, one frame per socket. */
  flush(): void {
    this.#cancelTimer();
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#joined.clear();
    const frames = new Map<Outgoing[], Outgoing>();
    let messages = 0;
    let bytes = 0;
    for (const recipient of waiting) {
      const queued = recipient.pending;
      if (queued === null) continue;
      recipient.pending = null;
      const frame = this.#send(recipient, queued, frames);
      if (!frame) continue;
      messages += queued.length;
      bytes += frame.bytes;
    }
    if (messages === 0) return;
    this.#lastSentAt = this.#timers.now();
    this.#onSent(messages, bytes);
  }

  /**
   * Drops what waits for a recipient; it is sent nothing until queued again.
   *
   * @example
   * ```ts
   * sender.drop(client); // the socket left the room
   * ```
   */
  drop(recipient: R): void {
    recipient.pending = null;
  }

  /** Cancels the pending batch; whatever was queued is dropped. */
  stop(): void {
    for (const recipient of this.#waiting) recipient.pending = null;
    this.#waiting = [];
    this.#joined.clear();
    this.#cancelTimer();
  }

  /** Sends one frame to one socket; returns it, or null if none went out. */
  #send(
    recipient: R,
    messages: Outgoing[],
    frames: Map<Outgoing[], Outgoing>,
  ): Outgoing | null {
    const socket = recipient.socket;
    if (socket.readyState !== SOCKET_OPEN) return null;
    // Reading bufferedAmount is a call into the runtime: only when what we
    // sent since the last read could have taken it over the bound.
    if (recipient.unsentBound > this.#maxBufferedBytes) {
      recipient.unsentBound = socket.bufferedAmount;
      if (recipient.unsentBound > this.#maxBufferedBytes) {
        this.#onOverflow(recipient);
        return null;
      }
    }
    let frame = frames.get(messages);
    if (!frame) frames.set(messages, frame = frameOf(messages));
    try {
      socket.send(frame.json);
    } catch {
      return null; // Closed between the check and the send.
    }
    recipient.unsentBound += frame.bytes;
    return frame;
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
