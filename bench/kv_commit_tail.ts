/**
 * Where a local KV commit's tail latency comes from: commits one at a time at
 * 300 per second (scenario (b)'s write rate) and reports their percentiles and
 * how often one stalls, beside the disk's own cost of a synced append.
 *
 * A local KV store is SQLite in WAL mode: each commit appends the pages it
 * changed to the log and syncs it, and every 1,000 pages SQLite copies the log
 * into the database file and syncs that as well (a checkpoint). The commit that
 * triggers it waits for it. So commits that change more pages stall more often.
 *
 * Run: `deno run -A bench/kv_commit_tail.ts [--seconds=10] [--dir=<directory>]`
 * (the directory defaults to the system's temporary one; use the disk the KV
 * file would live on).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Histogram } from "./histogram.ts";

const RATE = 300;
const ROOMS = 500;
const WARM_UP_COMMITS = 3_000;

/** One measured way of writing, with what it showed. */
export interface TailRow {
  what: string;
  p50: number;
  p99: number;
  max: number;
  /** Operations slower than three times the median. */
  stalls: number;
  operations: number;
}

/**
 * Summarizes how long each of a run's operations took, in milliseconds.
 *
 * @example
 * ```ts
 * tailRow("example", [1, 1, 1, 5]).stalls; // 1
 * ```
 */
export function tailRow(what: string, durations: number[]): TailRow {
  const histogram = new Histogram();
  for (const ms of durations) histogram.record(ms);
  const { p50, p99, max } = histogram.summary();
  const stalls = durations.filter((ms) => ms > 3 * p50).length;
  return { what, p50, p99, max, stalls, operations: durations.length };
}

/**
 * Runs `operation` at `RATE` per second for `seconds`, one at a time, and
 * summarizes how long each took.
 *
 * @example
 * ```ts
 * const row = await timed("noop", 1, async () => {});
 * row.operations; // 300
 * ```
 */
export async function timed(
  what: string,
  seconds: number,
  operation: (i: number) => Promise<unknown>,
): Promise<TailRow> {
  const durations: number[] = [];
  const start = performance.now();
  for (let i = 0; i < RATE * seconds; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    await operation(i);
    durations.push(performance.now() - t0);
  }
  return tailRow(what, durations);
}

/** Appends 1 KB and syncs the file's data, as a write-ahead log does. */
async function syncedAppends(dir: string, seconds: number): Promise<TailRow> {
  const path = `${dir}/append.log`;
  const file = await Deno.open(path, { create: true, append: true });
  const block = new Uint8Array(1024).fill(120);
  try {
    return await timed("append 1 KB + fdatasync", seconds, async () => {
      await file.write(block);
      await file.syncData();
    });
  } finally {
    file.close();
  }
}

/**
 * Commits of `keyCount` values of 300 bytes to random rooms. `roomPrefixed`
 * puts a commit's keys under its room, next to each other in the database.
 */
async function kvCommits(
  dir: string,
  seconds: number,
  keyCount: number,
  roomPrefixed: boolean,
): Promise<TailRow> {
  const kv = await Deno.openKv(`${dir}/kv-${keyCount}-${roomPrefixed}.sqlite`);
  const value = { text: "x".repeat(300) };
  const commit = (i: number) => {
    const room = Math.floor(Math.random() * ROOMS);
    const op = kv.atomic();
    for (let k = 0; k < keyCount; k++) {
      op.set(
        roomPrefixed ? ["room", room, `k${k}`, i] : [`k${k}`, room, i],
        value,
      );
    }
    return op.commit();
  };
  try {
    // A database of some size, as a server's is after a while.
    for (let i = 0; i < WARM_UP_COMMITS; i++) await commit(-1 - i);
    const layout = roomPrefixed ? "keys under their room" : "keys spread";
    return await timed(
      `KV commit of ${keyCount} key${keyCount === 1 ? "" : "s"}, ${layout}`,
      seconds,
      commit,
    );
  } finally {
    kv.close();
  }
}

function table(rows: TailRow[]): string {
  const ms = (value: number) => value.toFixed(2);
  return [
    "| what | p50 ms | p99 ms | max ms | stalls (> 3 × p50) | operations per stall |",
    "| --- | --: | --: | --: | --: | --: |",
    ...rows.map((row) =>
      `| ${row.what} | ${ms(row.p50)} | ${ms(row.p99)} | ${
        ms(row.max)
      } | ${row.stalls} | ${
        row.stalls ? Math.round(row.operations / row.stalls) : "none"
      } |`
    ),
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { seconds: { type: "string" }, dir: { type: "string" } },
  });
  const seconds = Number(values.seconds ?? 10);
  if (!(seconds > 0 && seconds <= 60)) {
    throw new Error("--seconds must be a number from 1 to 60");
  }
  const dir = await Deno.makeTempDir({
    dir: values.dir,
    prefix: "tack-kv-tail-",
  });
  console.log(`In ${dir}, ${RATE} operations/s for ${seconds} s each:\n`);
  try {
    const rows = [
      await syncedAppends(dir, seconds),
      await kvCommits(dir, seconds, 1, false),
      await kvCommits(dir, seconds, 5, false),
      await kvCommits(dir, seconds, 5, true),
    ];
    console.log(table(rows));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
