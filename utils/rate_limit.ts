/**
 * Rate limits: token buckets kept in this isolate's memory. Each key (an IP
 * address, an identity) has a bucket of `capacity` tokens that refills at
 * `capacity` per `windowMs`; a request takes one token or is refused with
 * the time until one is back. Bursts up to `capacity` pass at once.
 *
 * Buckets are per isolate: under `deno serve --parallel` with N isolates a
 * client can get up to N times the limit. That keeps a write free of extra
 * KV round-trips; the limits are there to stop floods, not to meter exactly.
 *
 * @module
 */

import type { EnvReader } from "./db.ts";
import { ApiError } from "./validation.ts";

/** One limit: `capacity` requests per `windowMs`, bursts included. */
export interface RateLimit {
  capacity: number;
  windowMs: number;
}

/** A refusal by a rate limit: 429 `rate_limited` with `Retry-After`. */
export class RateLimitedError extends ApiError {
  constructor(
    message: string,
    /** Whole seconds until a retry can pass. */
    readonly retryAfterSeconds: number,
  ) {
    super("rate_limited", message);
  }
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Options of {@linkcode TokenBuckets}. */
export interface TokenBucketsOptions extends RateLimit {
  /**
   * The clock, in milliseconds.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Buckets kept before full ones are swept, bounding memory under a flood
   * of distinct keys.
   * @default 10_000
   */
  maxBuckets?: number;
}

/** Token buckets for one limit, by key. */
export class TokenBuckets {
  readonly limit: RateLimit;
  #now: () => number;
  #maxBuckets: number;
  #buckets = new Map<string, Bucket>();

  constructor(options: TokenBucketsOptions) {
    this.limit = { capacity: options.capacity, windowMs: options.windowMs };
    this.#now = options.now ?? Date.now;
    this.#maxBuckets = options.maxBuckets ?? 10_000;
  }

  /**
   * Takes a token for `key`: 0 when it passes, else the milliseconds until
   * a token is back (nothing is taken then).
   *
   * @example
   * ```ts
   * const waitMs = buckets.take(`ip:${ip}`);
   * if (waitMs > 0) refuse(waitMs);
   * ```
   */
  take(key: string): number {
    const { capacity, windowMs } = this.limit;
    const now = this.#now();
    const perMs = capacity / windowMs;
    const bucket = this.#buckets.get(key);
    const tokens = bucket
      ? Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * perMs)
      : capacity;
    if (tokens < 1) {
      if (bucket) Object.assign(bucket, { tokens, updatedAt: now });
      return Math.ceil((1 - tokens) / perMs);
    }
    if (!bucket && this.#buckets.size >= this.#maxBuckets) this.#sweep(now);
    this.#buckets.set(key, { tokens: tokens - 1, updatedAt: now });
    return 0;
  }

  /**
   * Like {@linkcode take}, but throws a {@linkcode RateLimitedError} instead
   * of returning a wait.
   *
   * @example
   * ```ts
   * writeLimits.check(`ip:${ip}`, "Too many writes from your network.");
   * ```
   */
  check(key: string, message: string): void {
    const waitMs = this.take(key);
    if (waitMs > 0) {
      throw new RateLimitedError(
        message,
        Math.max(1, Math.ceil(waitMs / 1000)),
      );
    }
  }

  /** How many keys have a bucket. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Drops buckets that have refilled: they mean the same as no bucket. */
  #sweep(now: number): void {
    const { capacity, windowMs } = this.limit;
    for (const [key, bucket] of this.#buckets) {
      const elapsed = now - bucket.updatedAt;
      if (bucket.tokens + elapsed * (capacity / windowMs) >= capacity) {
        this.#buckets.delete(key);
      }
    }
    // All busy: forget the oldest rather than grow without bound.
    while (this.#buckets.size >= this.#maxBuckets) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
  }
}

/** Configured abuse limits. */
export interface AbuseLimits {
  /**
   * Writes (POST, PATCH, DELETE) per client IP and, separately, per identity.
   * @default 20 per 10 s (env `TACK_RATE_WRITES`, `TACK_RATE_WINDOW_MS`)
   */
  writes: RateLimit;
  /**
   * WebSocket handshakes per client IP.
   * @default 30 per 10 s (env `TACK_RATE_HANDSHAKES`, `TACK_RATE_WINDOW_MS`)
   */
  handshakes: RateLimit;
  /**
   * Open WebSockets per client IP, per isolate.
   * @default 50 (env `TACK_MAX_SOCKETS_PER_IP`)
   */
  socketsPerIp: number;
  /**
   * Seconds between the server's pings of a socket; one that does not answer
   * in that time is closed.
   * @default 60 (env `TACK_WS_IDLE_TIMEOUT_S`)
   */
  socketIdleSeconds: number;
}

function positive(env: EnvReader, name: string, fallback: number): number {
  const value = Number(env.get(name));
  return Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/**
 * The abuse limits from the environment.
 *
 * @example
 * ```ts
 * abuseLimits({ get: () => undefined }).writes; // { capacity: 20, windowMs: 10000 }
 * ```
 */
export function abuseLimits(env: EnvReader = Deno.env): AbuseLimits {
  const windowMs = positive(env, "TACK_RATE_WINDOW_MS", 10_000);
  return {
    writes: { capacity: positive(env, "TACK_RATE_WRITES", 20), windowMs },
    handshakes: {
      capacity: positive(env, "TACK_RATE_HANDSHAKES", 30),
      windowMs,
    },
    socketsPerIp: positive(env, "TACK_MAX_SOCKETS_PER_IP", 50),
    socketIdleSeconds: positive(env, "TACK_WS_IDLE_TIMEOUT_S", 60),
  };
}

/**
 * Counts open connections per key and refuses one over `max`.
 *
 * @example
 * ```ts
 * const release = sockets.acquire(ip); // throws 429 over the cap
 * socket.addEventListener("close", release);
 * ```
 */
export class ConnectionCounter {
  #open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts a new connection; returns the function that uncounts it once. */
  acquire(key: string): () => void {
    const open = this.#open.get(key) ?? 0;
    if (open >= this.max) {
      throw new RateLimitedError(
        `Too many open connections from your network (at most ${this.max}).`,
        5,
      );
    }
    this.#open.set(key, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left > 0) this.#open.set(key, left);
      else this.#open.delete(key);
    };
  }

  /** Open connections of `key`. */
  count(key: string): number {
    return this.#open.get(key) ?? 0;
  }
}
