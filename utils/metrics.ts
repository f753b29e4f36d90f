/**
 * Usage metrics: what each tenant costs, per UTC day. Counts are added up in
 * memory and flushed to KV about once a second with atomic `sum`s (and
 * `max` for the peak of viewers), so that nothing on the hot path of a
 * write or a fan-out waits for them. The metric keys are never part of a
 * room write and their operations check nothing, so a flush never makes a
 * room write retry, nor the other way round.
 *
 * @module
 */

import { getKv, keys, retryContention } from "./db_kv.ts";

/** The metrics of a day, as stored and reported. */
export const METRICS = [
  "pubSubMessageCount",
  "pubSubBandwidth",
  "conversationCreateCount",
  "commentCount",
  "peakViewers",
] as const;

export type Metric = typeof METRICS[number];

/** The metrics a room counts, for the busiest rooms. */
export const ROOM_METRICS = ["pubSubMessageCount", "pubSubBandwidth"] as const;

/**
 * The UTC day of a time, as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * utcDay(Date.UTC(2025, 0, 31, 23, 59)); // "2025-01-31"
 * ```
 */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Options of {@linkcode UsageMeter}. */
export interface UsageMeterOptions {
  /**
   * How often buffered counts are written to KV, in milliseconds.
   * @default 1_000
   */
  flushMs?: number;
  /**
   * Identifies this isolate's share of a tenant's viewers.
   * @default crypto.randomUUID()
   */
  isolateId?: string;
  /**
   * How long an isolate's share of viewers counts unless rewritten.
   * @default 20_000
   */
  viewersTtlMs?: number;
  /**
   * The clock, in milliseconds since the epoch.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Reports a failed flush; its counts are kept for the next one.
   * @default logs to the console
   */
  onError?: (error: unknown) => void;
}

/** Counts of one tenant on one day, not yet flushed. */
interface DayCounts {
  tenant: string;
  day: string;
  totals: Map<Metric, number>;
  /** urlId → metric → count. */
  rooms: Map<string, Map<Metric, number>>;
}

/** One isolate's viewers of a tenant, with its expiry kept in the value. */
interface ViewerShare {
  count: number;
  expiresAt: number;
}

/** One buffered write, and how to put it back when it could not be made. */
interface BufferedSum {
  mutate: (op: Deno.AtomicOperation) => void;
  restore: () => void;
}

/** A UTC day in milliseconds: days of the epoch have no leap seconds. */
const DAY_MS = 86_400_000;

/**
 * Mutations per atomic operation, well below KV's limit. A local store
 * commits one operation at a time, so a large flush would hold up the room
 * writes queued behind it; small chunks let them in between.
 */
const MUTATIONS_PER_COMMIT = 50;

/** Buffers usage counts in memory and flushes them to KV. */
export class UsageMeter {
  readonly isolateId: string;
  #flushMs: number;
  #viewersTtlMs: number;
  #now: () => number;
  #onError: (error: unknown) => void;
  #counts = new Map<string, DayCounts>();
  /** tenant → viewers held by this isolate. */
  #viewers = new Map<string, number>();
  /** tenant → most viewers held at once since the last flush. */
  #viewersPeak = new Map<string, number>();
  /** Tenants whose viewer share must be rewritten at the next flush. */
  #viewersChanged = new Set<string>();
  #viewersWrittenAt = new Map<string, number>();
  /** Rooms whose name has been stored by this isolate. */
  #named = new Set<string>();
  #timer: ReturnType<typeof setInterval> | null = null;
  /** The UTC day of the last count, and when it began and ends. */
  #dayName = "";
  #dayStartsAt = 0;
  #dayEndsAt = 0;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: UsageMeterOptions = {}) {
    this.#flushMs = options.flushMs ?? 1_000;
    this.isolateId = options.isolateId ?? crypto.randomUUID();
    this.#viewersTtlMs = options.viewersTtlMs ?? 20_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ??
      ((error) => console.error("metrics: flush failed:", error));
  }

  /**
   * Counts messages sent to the sockets of a room, and their bytes, summed
   * over the sockets: the hub calls it once per flush, not per socket.
   *
   * @example
   * ```ts
   * meter.delivered("demo", "demo-image", 3_000, 1_204_000);
   * ```
   */
  delivered(
    tenant: string,
    urlId: string,
    messages: number,
    bytes: number,
  ): void {
    const counts = this.#today(tenant);
    add(counts.totals, "pubSubMessageCount", messages);
    add(counts.totals, "pubSubBandwidth", bytes);
    const room = this.#room(counts, urlId);
    add(room, "pubSubMessageCount", messages);
    add(room, "pubSubBandwidth", bytes);
  }

  /**
   * Counts a new conversation (a chat; its first comment counts as a comment).
   *
   * @example
   * ```ts
   * meter.conversationCreated("demo");
   * ```
   */
  conversationCreated(tenant: string): void {
    const counts = this.#today(tenant);
    add(counts.totals, "conversationCreateCount", 1);
    add(counts.totals, "commentCount", 1);
  }

  /**
   * Counts a new comment in an existing conversation.
   *
   * @example
   * ```ts
   * meter.commentAdded("demo");
   * ```
   */
  commentAdded(tenant: string): void {
    add(this.#today(tenant).totals, "commentCount", 1);
  }

  /**
   * Notes that this isolate gained (`+1`) or lost (`-1`) a viewer of a
   * tenant; the day's peak is the most viewers over all isolates at once.
   *
   * @example
   * ```ts
   * meter.viewers("demo", +1); // a socket joined
   * ```
   */
  viewers(tenant: string, delta: number): void {
    const count = (this.#viewers.get(tenant) ?? 0) + delta;
    if (count > 0) this.#viewers.set(tenant, count);
    else this.#viewers.delete(tenant);
    // Viewers who come and go between two flushes still count at their peak.
    this.#viewersPeak.set(
      tenant,
      Math.max(this.#viewersPeak.get(tenant) ?? 0, count),
    );
    this.#viewersChanged.add(tenant);
    this.#schedule();
  }

  /**
   * Writes everything buffered so far. Flushes run one after another; what
   * a failed flush held is kept for the next one.
   *
   * @example
   * ```ts
   * await meter.flush();
   * ```
   */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  /** Stops the periodic flush and writes what is left. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }

  #today(tenant: string): DayCounts {
    const now = this.#now();
    // Formatting a date is costly on the hot path; a day changes rarely.
    if (now >= this.#dayEndsAt || now < this.#dayStartsAt) {
      this.#dayStartsAt = now - now % DAY_MS;
      this.#dayEndsAt = this.#dayStartsAt + DAY_MS;
      this.#dayName = utcDay(now);
    }
    return this.#day(tenant, this.#dayName);
  }

  #day(tenant: string, day: string): DayCounts {
    const id = `${day}\n${tenant}`;
    let counts = this.#counts.get(id);
    if (!counts) {
      counts = { tenant, day, totals: new Map(), rooms: new Map() };
      this.#counts.set(id, counts);
      this.#schedule();
    }
    return counts;
  }

  #room(counts: DayCounts, urlId: string): Map<Metric, number> {
    let room = counts.rooms.get(urlId);
    if (!room) counts.rooms.set(urlId, room = new Map());
    return room;
  }

  #schedule(): void {
    if (this.#timer !== null) return;
    const timer = setInterval(() => {
      this.flush();
      if (this.#counts.size === 0 && this.#viewers.size === 0) {
        clearInterval(timer);
        this.#timer = null;
      }
    }, this.#flushMs);
    // Metrics alone must never keep a process alive.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  async #flushOnce(): Promise<void> {
    const sums = [...this.#counts.values()].flatMap((c) => this.#sums(c));
    this.#counts.clear();
    let written = 0;
    try {
      const kv = await getKv();
      for (; written < sums.length; written += MUTATIONS_PER_COMMIT) {
        const chunk = sums.slice(written, written + MUTATIONS_PER_COMMIT);
        await retryContention(() => {
          const op = kv.atomic();
          for (const sum of chunk) sum.mutate(op);
          return op.commit();
        });
      }
      await this.#writeViewers(kv);
    } catch (error) {
      // Chunks that committed stay written; the rest waits for the next flush.
      for (const sum of sums.slice(written)) sum.restore();
      this.#onError(error);
    }
  }

  /** The mutations that write a day's counts, each able to undo its take. */
  #sums(counts: DayCounts): BufferedSum[] {
    const { tenant, day } = counts;
    const sums: BufferedSum[] = [];
    for (const [metric, n] of counts.totals) {
      const key = keys.usageMetric(tenant, day, metric);
      sums.push({
        mutate: (op) => op.sum(key, BigInt(n)),
        restore: () => add(this.#day(tenant, day).totals, metric, n),
      });
    }
    for (const [urlId, room] of counts.rooms) {
      for (const [metric, n] of room) {
        const key = keys.roomUsageMetric(tenant, day, urlId, metric);
        sums.push({
          mutate: (op) => op.sum(key, BigInt(n)),
          restore: () =>
            add(this.#room(this.#day(tenant, day), urlId), metric, n),
        });
      }
      const named = `${tenant}\n${urlId}`;
      if (this.#named.has(named)) continue;
      this.#named.add(named);
      sums.push({
        mutate: (op) => op.set(keys.roomName(tenant, urlId), urlId),
        restore: () => this.#named.delete(named),
      });
    }
    return sums;
  }

  /** Rewrites this isolate's share of viewers and raises the day's peak. */
  async #writeViewers(kv: Deno.Kv): Promise<void> {
    const now = this.#now();
    for (const [tenant, writtenAt] of this.#viewersWrittenAt) {
      // Shares live on while viewers stay; rewrite them well before expiry.
      if (now - writtenAt >= this.#viewersTtlMs / 2) {
        this.#viewersChanged.add(tenant);
      }
    }
    const tenants = [...this.#viewersChanged];
    this.#viewersChanged.clear();
    for (const tenant of tenants) {
      const count = this.#viewers.get(tenant) ?? 0;
      const key = keys.tenantViewersEntry(tenant, this.isolateId);
      const share: ViewerShare = { count, expiresAt: now + this.#viewersTtlMs };
      await retryContention(async () => {
        if (count > 0) {
          await kv.set(key, share, { expireIn: this.#viewersTtlMs });
        } else await kv.delete(key);
      });
      if (count > 0) this.#viewersWrittenAt.set(tenant, now);
      else this.#viewersWrittenAt.delete(tenant);
      const localPeak = this.#viewersPeak.get(tenant) ?? count;
      this.#viewersPeak.delete(tenant);
      const total = await this.#otherViewers(kv, tenant, now) + localPeak;
      if (total === 0) continue;
      const peak = keys.usageMetric(tenant, utcDay(now), "peakViewers");
      await retryContention(() =>
        kv.atomic().max(peak, BigInt(total)).commit()
      );
    }
  }

  /** The viewers of a tenant held by the other isolates. */
  async #otherViewers(kv: Deno.Kv, tenant: string, now: number) {
    let total = 0;
    const prefix = keys.tenantViewers(tenant);
    const own = keys.tenantViewersEntry(tenant, this.isolateId).at(-1);
    for await (const entry of kv.list<ViewerShare>({ prefix })) {
      if (entry.key.at(-1) === own) continue;
      if (entry.value.expiresAt > now) total += entry.value.count;
    }
    return total;
  }
}

function add(counts: Map<Metric, number>, metric: Metric, n: number): void {
  counts.set(metric, (counts.get(metric) ?? 0) + n);
}

/** This isolate's usage meter. */
export const usageMeter: UsageMeter = new UsageMeter();
