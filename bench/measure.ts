/**
 * Turns raw observations (viewer reports, write results, `/proc` samples)
 * into the numbers a scenario reports.
 *
 * @module
 */
import type { Histogram, LatencySummary } from "./histogram.ts";
import type { ProcMonitor } from "./proc_stats.ts";
import type { ViewerPool } from "./viewer_pool.ts";
import type { WriteStageResult } from "./writer.ts";

/** One load stage, as reported. */
export interface StageStats {
  /** Offered writes per second. */
  rate: number;
  /** Writes per second times viewers per room: what full delivery means. */
  offeredDeliveriesPerSec: number;
  /** Deliveries counted at the viewers during the stage, per second. */
  deliveriesPerSec: number;
  latency: LatencySummary;
  writesOk: number;
  writesFailed: number;
  writesSkipped: number;
  /** Stamped deliveries expected for this stage's writes but never seen. */
  lost: number;
  writeResponse: LatencySummary;
  serverCpuPercent: number;
  serverRssMb: number;
  generatorCpuPercent: number;
}

/**
 * Deliveries per second in `[from, to]`, from per-second arrival counts.
 * Only whole seconds inside the window count, so that ramp-up and drain at
 * the edges do not dilute the rate; a window shorter than two seconds falls
 * back to every second it touches.
 *
 * @example
 * ```ts
 * deliveryRate({ "10": 500, "11": 800, "12": 900 }, 10_500, 13_000); // 850
 * ```
 */
export function deliveryRate(
  arrivals: Record<string, number>,
  from: number,
  to: number,
): number {
  const first = Math.ceil(from / 1000);
  const last = Math.floor(to / 1000) - 1;
  const [start, end] = last >= first
    ? [first, last]
    : [Math.floor(from / 1000), Math.floor(to / 1000)];
  let total = 0;
  for (let second = start; second <= end; second++) {
    total += arrivals[second] ?? 0;
  }
  return total / (end - start + 1);
}

/** Merges a stage's writes, deliveries and resource use into its stats. */
export function stageStats(
  write: WriteStageResult,
  latency: Histogram | undefined,
  arrivals: Record<string, number>,
  viewersPerRoom: number,
  server: ProcMonitor,
  generator: ProcMonitor,
): StageStats {
  const serverWindow = server.window(write.startedAt, write.endedAt);
  const delivered = latency?.count ?? 0;
  return {
    rate: write.rate,
    offeredDeliveriesPerSec: write.rate * viewersPerRoom,
    deliveriesPerSec: deliveryRate(arrivals, write.startedAt, write.endedAt),
    latency: latency?.summary() ?? emptySummary(),
    writesOk: write.ok,
    writesFailed: write.failed,
    writesSkipped: write.skipped,
    lost: write.ok * viewersPerRoom - delivered,
    writeResponse: write.response,
    serverCpuPercent: serverWindow.cpuPercent,
    serverRssMb: serverWindow.rssMaxBytes / 2 ** 20,
    generatorCpuPercent: generator.window(write.startedAt, write.endedAt)
      .cpuPercent,
  };
}

function emptySummary(): LatencySummary {
  return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
}

/**
 * Waits until the viewers have every event up to `finalSeqs`, or until
 * `timeoutMs` passed. Returns the events still missing (0 when complete).
 */
export async function drain(
  pool: ViewerPool,
  finalSeqs: Record<string, number>,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const missing = await pool.missing(finalSeqs);
    if (missing === 0 || Date.now() >= deadline) return missing;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `count` room ids with a prefix, e.g. `hot-0`, `hot-1`. */
export function roomIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

/** One entry per viewer: each room repeated `viewersPerRoom` times. */
export function viewerRooms(rooms: string[], viewersPerRoom: number): string[] {
  return rooms.flatMap((room) => Array(viewersPerRoom).fill(room));
}
