/**
 * The detailed per-scenario tables of `results.md`, and the small helpers the
 * report shares.
 *
 * @module
 */
import type { StageStats } from "./measure.ts";
import { PAGE_WEIGHT_TARGET_BYTES } from "./page_weight.ts";
import type { BenchResults } from "./run.ts";
import type {
  HotRoomResult,
  IdleResult,
  ManyRoomsResult,
  ScenarioName,
  StormResult,
} from "./scenarios.ts";
import { SERVER_LABELS } from "./servers.ts";
import type { ServerKind } from "./wire.ts";

/** Values by server; a server whose run failed is absent. */
export type Results<T> = Partial<Record<ServerKind, T>>;

/** A scenario's successful results by server (failed runs left out). */
export function ok<T>(results: BenchResults, name: ScenarioName): Results<T> {
  const byServer = results.scenarios[name] ?? {};
  const out: Results<T> = {};
  for (const [kind, value] of Object.entries(byServer)) {
    if (value && !("error" in (value as object))) {
      out[kind as ServerKind] = value as T;
    }
  }
  return out;
}

/** Formats a number with thousands separators and at most `digits` decimals. */
export const num = (digits: number) => (n: number) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** The hot room's top-rate stage. */
export function lastStage(result: HotRoomResult): StageStats {
  return result.stages[result.stages.length - 1];
}

/** A markdown table: the first column left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

/** The delivery-latency columns of a stage; cells from {@linkcode latencyCells}. */
const LATENCY_HEADERS = ["p50 ms", "p95 ms", "p99 ms", "max ms"];

/** A stage's delivery latency, in the order of {@linkcode LATENCY_HEADERS}. */
function latencyCells(s: StageStats): string[] {
  const { p50, p95, p99, max } = s.latency;
  return [p50, p95, p99, max].map(num(1));
}

/** What a stage cost: write response and CPU and memory of both sides. */
const COST_HEADERS = [
  "write p99 ms",
  "server CPU %",
  "server RSS MB",
  "generator CPU %",
];

/** A stage's cost, in the order of {@linkcode COST_HEADERS}. */
function costCells(s: StageStats): string[] {
  return [
    num(1)(s.writeResponse.p99),
    num(0)(s.serverCpuPercent),
    num(0)(s.serverRssMb),
    num(0)(s.generatorCpuPercent),
  ];
}

/** Scenario (a): every stage of every server. */
export function hotDetails(results: BenchResults): string {
  const hot = ok<HotRoomResult>(results, "hot");
  const rows: string[][] = [];
  for (const [kind, result] of Object.entries(hot)) {
    for (const s of result!.stages) {
      rows.push([
        SERVER_LABELS[kind as ServerKind],
        num(0)(s.rate),
        num(0)(s.offeredDeliveriesPerSec),
        num(0)(s.deliveriesPerSec),
        ...latencyCells(s),
        num(0)(s.lost),
        `${s.writesOk}/${s.writesFailed}/${s.writesSkipped}`,
        ...costCells(s),
      ]);
    }
  }
  return table([
    "server",
    "writes/s",
    "offered deliveries/s",
    "deliveries/s",
    ...LATENCY_HEADERS,
    "lost",
    "writes ok/failed/skipped",
    ...COST_HEADERS,
  ], rows);
}

/** Scenario (b), one row per server. */
export function roomsDetails(results: BenchResults): string {
  const rows = Object.entries(ok<ManyRoomsResult>(results, "rooms")).map(
    ([kind, r]) => {
      const s = r!.stage;
      return [
        SERVER_LABELS[kind as ServerKind],
        num(0)(s.deliveriesPerSec),
        ...latencyCells(s),
        num(0)(r!.lost),
        ...costCells(s),
      ];
    },
  );
  return table([
    "server",
    "deliveries/s",
    ...LATENCY_HEADERS,
    "lost",
    ...COST_HEADERS,
  ], rows);
}

/** Scenario (c), one row per server. */
export function idleDetails(results: BenchResults): string {
  const rows = Object.entries(ok<IdleResult>(results, "idle")).map(
    ([kind, r]) => [
      SERVER_LABELS[kind as ServerKind],
      num(0)(r!.viewers - r!.failedViewers),
      num(1)(r!.connectSeconds),
      num(0)(r!.rssBeforeMb),
      num(0)(r!.rssHeldMb),
      num(1)(r!.kbPerSocket),
      num(1)(r!.serverCpuPercentHeld),
      num(0)(r!.closedByServer),
    ],
  );
  return table([
    "server",
    "sockets",
    "connect s",
    "RSS before MB",
    "RSS held MB",
    "KB per socket",
    "CPU % while idle",
    "closed by server",
  ], rows);
}

/** Scenario (d), one row per server. */
export function stormDetails(results: BenchResults): string {
  const rows = Object.entries(ok<StormResult>(results, "storm")).map(
    ([kind, r]) => [
      SERVER_LABELS[kind as ServerKind],
      num(0)(r!.viewers),
      num(0)(r!.resync.p50),
      num(0)(r!.resync.p99),
      num(0)(r!.resync.max),
      num(0)(r!.unresynced),
      num(0)(r!.lost),
      num(0)(r!.coveredBySnapshot),
      num(0)(r!.duplicates),
      `${r!.writesOk}/${r!.writesFailed}`,
    ],
  );
  return table([
    "server",
    "viewers",
    "resync p50 ms",
    "resync p99 ms",
    "all resynced ms",
    "not resynced",
    "lost",
    "covered by snapshot",
    "duplicates",
    "writes ok/failed",
  ], rows);
}

/** Gzipped JavaScript per demo page, against the 20 KB target. */
export function pageWeightTable(results: BenchResults): string {
  if ("error" in results.pageWeight) {
    return `Not measured: ${results.pageWeight.error}`;
  }
  return table(
    ["page", "JS files", "JS bytes", "gzipped bytes", "target ≤ 20 KB"],
    results.pageWeight.map((p) => [
      p.path,
      String(p.files.length),
      num(0)(p.totalBytes),
      num(0)(p.totalGzipBytes),
      p.totalGzipBytes <= PAGE_WEIGHT_TARGET_BYTES ? "met" : "**not met**",
    ]),
  );
}
