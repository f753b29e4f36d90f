/**
 * Viewers spread over several Worker isolates, so that decoding and timing
 * hundreds of thousands of deliveries per second uses more than one thread.
 *
 * @module
 */
import { Histogram, type HistogramData } from "./histogram.ts";
import type { ViewerCommand, ViewerReport } from "./viewer_worker.ts";
import type { ServerKind } from "./wire.ts";

/** Options of a viewer pool. */
export interface ViewerPoolOptions {
  /**
   * Worker isolates to spread viewers over.
   * @default 3
   */
  workers?: number;
  /**
   * WebSocket handshakes in flight at once, per worker.
   * @default 64
   */
  maxPending?: number;
}

/** Viewer reports merged over all workers. */
export interface PoolReport extends Omit<ViewerReport, "latency"> {
  latency: Histogram[];
}

/** Sends one command to a worker and awaits its reply. */
function ask<T>(worker: Worker, command: ViewerCommand): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data as T);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`viewer worker failed: ${event.message}`));
    };
    worker.postMessage(command);
  });
}

/** A set of viewer workers driving one server. */
export class ViewerPool {
  readonly #workers: Worker[];
  readonly #maxPending: number;

  /**
   * Starts the workers; `close()` terminates them.
   *
   * @example
   * ```ts
   * const pool = new ViewerPool({ workers: 2 });
   * await pool.open("ceiling", "http://127.0.0.1:8000", ["a", "a", "b"]);
   * await pool.close();
   * ```
   */
  constructor({ workers = 3, maxPending = 64 }: ViewerPoolOptions = {}) {
    this.#maxPending = maxPending;
    this.#workers = Array.from(
      { length: workers },
      () =>
        new Worker(new URL("./viewer_worker.ts", import.meta.url), {
          type: "module",
        }),
    );
  }

  #all<T>(command: (index: number) => ViewerCommand): Promise<T[]> {
    return Promise.all(this.#workers.map((w, i) => ask<T>(w, command(i))));
  }

  /**
   * Connects one viewer per entry of `urlIds` (a room may repeat), dealt
   * round-robin to the workers. Resolves once each has synced or failed.
   */
  async open(
    kind: ServerKind,
    baseUrl: string,
    urlIds: string[],
  ): Promise<{ failed: number }> {
    const count = this.#workers.length;
    const replies = await this.#all<{ failed: number }>((index) => ({
      cmd: "open",
      kind,
      baseUrl,
      urlIds: urlIds.filter((_, i) => i % count === index),
      maxPending: this.#maxPending,
    }));
    return { failed: replies.reduce((sum, r) => sum + r.failed, 0) };
  }

  /** Closes every viewer's socket at once, keeping its last seq. */
  async drop(): Promise<void> {
    await this.#all(() => ({ cmd: "drop" }));
  }

  /**
   * Reconnects every viewer with `since` = its last seq and waits until each
   * has reached its room's seq in `targets` (or `timeoutMs` passed).
   */
  async reopen(
    targets: Record<string, number>,
    timeoutMs: number,
  ): Promise<{ resync: Histogram; unresynced: number }> {
    const replies = await this.#all<
      { resync: HistogramData; unresynced: number }
    >(() => ({
      cmd: "reopen",
      targets,
      maxPending: this.#maxPending,
      timeoutMs,
    }));
    const resync = new Histogram();
    for (const reply of replies) resync.merge(reply.resync);
    return {
      resync,
      unresynced: replies.reduce((sum, r) => sum + r.unresynced, 0),
    };
  }

  /** Events still due to viewers, given each room's final seq. */
  async missing(finalSeqs: Record<string, number>): Promise<number> {
    const replies = await this.#all<{ missing: number }>(() => ({
      cmd: "progress",
      finalSeqs,
    }));
    return replies.reduce((sum, r) => sum + r.missing, 0);
  }

  /** Everything the viewers saw, merged. */
  async report(finalSeqs: Record<string, number>): Promise<PoolReport> {
    const replies = await this.#all<ViewerReport>(() => ({
      cmd: "report",
      finalSeqs,
    }));
    const merged: PoolReport = {
      viewers: 0,
      connected: 0,
      failed: 0,
      received: 0,
      duplicates: 0,
      lost: 0,
      coveredBySnapshot: 0,
      closedByServer: 0,
      latency: [],
      arrivals: {},
    };
    for (const reply of replies) {
      for (
        const key of [
          "viewers",
          "connected",
          "failed",
          "received",
          "duplicates",
          "lost",
          "coveredBySnapshot",
          "closedByServer",
        ] as const
      ) merged[key] += reply[key];
      reply.latency.forEach((data, stage) => {
        (merged.latency[stage] ??= new Histogram()).merge(data);
      });
      for (const [second, count] of Object.entries(reply.arrivals)) {
        merged.arrivals[second] = (merged.arrivals[second] ?? 0) + count;
      }
    }
    return merged;
  }

  /**
   * Closes all sockets (waiting at most `graceMs`) and terminates the
   * workers, even if one of them is stuck.
   */
  async close(graceMs = 10_000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise((r) => timer = setTimeout(r, graceMs));
    await Promise.race([this.#all(() => ({ cmd: "close" })), grace]);
    clearTimeout(timer);
    for (const worker of this.#workers) worker.terminate();
  }
}
