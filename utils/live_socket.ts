/**
 * The browser's connection to a room's WebSocket: opens it, keeps it alive
 * with pings, replaces it after a loss with backoff (at once when the server
 * asked for a resync), and follows the browser's online state. What the
 * frames mean is the room's business ({@linkcode LiveSocketOptions.onMessage}).
 *
 * @module
 */

import { signal } from "@preact/signals";
import { backoffDelay } from "./backoff.ts";
import {
  type Connectivity,
  DEFAULT_TIMERS,
  type TimerId,
  type Timers,
  windowConnectivity,
} from "./live_support.ts";
import { CLOSE_GOING_AWAY, CLOSE_RESYNC } from "./protocol.ts";

/** The connection as the UI shows it. */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline";

/** The minimal WebSocket surface the connection uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Options of {@linkcode LiveSocket}. */
export interface LiveSocketOptions {
  /** The socket's URL, asked again at every (re)connect to resume from. */
  url: () => string;
  /** Each frame the server sends, as text. */
  onMessage: (data: string) => void;
  /** @default (url) => new WebSocket(url) */
  openSocket?: (url: string) => SocketLike;
  /** @default online/offline events of the window and navigator.onLine */
  connectivity?: Connectivity;
  /** @default globalThis.setTimeout / clearTimeout */
  timers?: Timers;
  /** @default Math.random */
  random?: () => number;
  /** Consecutive failed connects after which the server counts as unreachable. @default 2 */
  unreachableAfter?: number;
  /** Interval of keep-alive pings; a silent socket is replaced after two. @default 25_000 */
  heartbeatMs?: number;
}

/**
 * One room's connection. Call {@linkcode LiveSocket.connect} once,
 * {@linkcode LiveSocket.synced} when the server's `sync` arrives, and
 * `close()` when done.
 *
 * @example
 * ```ts
 * const socket = new LiveSocket({ url: () => wsUrl, onMessage: console.log });
 * socket.connect();
 * socket.status.value; // "connecting"
 * ```
 */
export class LiveSocket {
  readonly status = signal<LiveStatus>("connecting");

  readonly #o: Required<LiveSocketOptions>;
  #socket: SocketLike | null = null;
  #synced = false;
  #failures = 0;
  #attempt = 0;
  #retryTimer: TimerId | null = null;
  #heartbeatTimer: TimerId | null = null;
  #awaitingPong = false;
  #closed = false;
  #unsubscribe: (() => void) | null = null;

  constructor(options: LiveSocketOptions) {
    this.#o = {
      openSocket: (url) => new WebSocket(url),
      connectivity: windowConnectivity(),
      timers: DEFAULT_TIMERS,
      random: Math.random,
      unreachableAfter: 2,
      heartbeatMs: 25_000,
      ...options,
    };
  }

  /** True unless the browser or this connection knows it is offline. */
  get online(): boolean {
    return this.status.value !== "offline" && this.#o.connectivity.isOnline();
  }

  /** Starts connecting (and following the browser's online state). */
  connect(): void {
    this.#unsubscribe = this.#o.connectivity.subscribe((online) =>
      online ? this.#wentOnline() : this.#wentOffline()
    );
    if (this.#o.connectivity.isOnline()) this.reopen();
    else this.status.value = "offline";
  }

  /** Stops for good: closes the socket and cancels timers. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#dropSocket();
    this.#clearRetry();
  }

  /** The server synced this socket: it is live, and failures are forgotten. */
  synced(): void {
    this.#synced = true;
    this.#failures = 0;
    this.#attempt = 0;
    this.status.value = "live";
    this.#scheduleHeartbeat();
  }

  /** Replaces the socket with a new one now, e.g. to resume after a gap. */
  reopen(): void {
    if (this.#closed) return;
    this.#clearRetry();
    this.#dropSocket();
    this.#synced = false;
    const socket = this.#o.openSocket(this.#o.url());
    this.#socket = socket;
    socket.onmessage = (event) => {
      if (socket !== this.#socket) return;
      this.#awaitingPong = false;
      this.#o.onMessage(String(event.data));
    };
    socket.onclose = (event) => {
      if (socket === this.#socket) this.#lost(event.code);
    };
    socket.onerror = () => socket.close();
  }

  #lost(code?: number): void {
    this.#socket = null;
    this.#stopHeartbeat();
    if (this.#closed) return;
    if (code === CLOSE_RESYNC || code === CLOSE_GOING_AWAY) {
      // The server asked for it (we fell behind, or it is going away):
      // resume from our seq right away, elsewhere if need be.
      this.status.value = "reconnecting";
      this.#attempt = 0;
      this.#retryTimer = this.#o.timers.setTimeout(() => this.reopen(), 0);
      return;
    }
    if (!this.#synced) this.#failures++;
    this.status.value = this.#failures >= this.#o.unreachableAfter
      ? "offline"
      : "reconnecting";
    const delay = backoffDelay(this.#attempt++, { random: this.#o.random });
    this.#retryTimer = this.#o.timers.setTimeout(() => this.reopen(), delay);
  }

  #wentOffline(): void {
    this.#clearRetry();
    this.#dropSocket();
    this.status.value = "offline";
  }

  #wentOnline(): void {
    if (this.#closed || this.status.value === "live") return;
    this.#attempt = 0;
    this.#failures = 0;
    this.status.value = "connecting";
    this.reopen();
  }

  #dropSocket(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#stopHeartbeat();
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = null;
      socket.close(1000, "closing");
    }
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) {
      this.#o.timers.clearTimeout(this.#retryTimer);
    }
    this.#retryTimer = null;
  }

  #scheduleHeartbeat(): void {
    this.#stopHeartbeat();
    this.#awaitingPong = false;
    const beat = () => {
      if (this.#awaitingPong) {
        this.#socket?.close(); // Silent for a whole interval: assume it is dead.
        return;
      }
      this.#awaitingPong = true;
      this.#socket?.send(JSON.stringify({ type: "ping" }));
      this.#heartbeatTimer = this.#o.timers.setTimeout(
        beat,
        this.#o.heartbeatMs,
      );
    };
    this.#heartbeatTimer = this.#o.timers.setTimeout(beat, this.#o.heartbeatMs);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeatTimer !== null) {
      this.#o.timers.clearTimeout(this.#heartbeatTimer);
    }
    this.#heartbeatTimer = null;
  }
}
