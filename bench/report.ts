/**
 * Writes a run's `results.json`, `results.md` (side-by-side tables with
 * Tack ÷ ceiling and Tack ÷ Socket.IO ratios, and the targets) and `p99.svg`.
 *
 * @module
 */
import { type ChartSeries, lineChartSvg } from "./chart.ts";
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
import {
  hotDetails,
  idleDetails,
  lastStage,
  num,
  ok,
  pageWeightTable,
  type Results,
  roomsDetails,
  stormDetails,
  table,
} from "./report_tables.ts";

const COLORS: Record<ServerKind, string> = {
  "ceiling": "#777777",
  "socketio": "#2f6fde",
  "tack": "#d9480f",
  "tack-parallel": "#e8a33d",
};

/** One summary row: a metric for every server. */
interface Row {
  name: ScenarioName;
  scenario: string;
  metric: string;
  values: Results<number>;
  format: (n: number) => string;
}

function pick<T>(
  results: Results<T>,
  value: (r: T) => number,
): Results<number> {
  const out: Results<number> = {};
  for (const [kind, result] of Object.entries(results)) {
    out[kind as ServerKind] = value(result as T);
  }
  return out;
}

function summaryRows(results: BenchResults): Row[] {
  const hot = ok<HotRoomResult>(results, "hot");
  const rooms = ok<ManyRoomsResult>(results, "rooms");
  const idle = ok<IdleResult>(results, "idle");
  const storm = ok<StormResult>(results, "storm");
  const top = results.meta.sizes.hot.stages.at(-1)?.rate;
  return [
    {
      name: "hot",
      scenario: `(a) hot room, ${top} writes/s`,
      metric: "deliveries/s",
      values: pick(hot, (r) => lastStage(r).deliveriesPerSec),
      format: num(0),
    },
    {
      name: "hot",
      scenario: `(a) hot room, ${top} writes/s`,
      metric: "p99 ms",
      values: pick(hot, (r) => lastStage(r).latency.p99),
      format: num(1),
    },
    {
      name: "hot",
      scenario: "(a) hot room, whole ramp",
      metric: "lost events",
      values: pick(hot, (r) => r.lost),
      format: num(0),
    },
    {
      name: "rooms",
      scenario: "(b) many rooms",
      metric: "deliveries/s",
      values: pick(rooms, (r) => r.stage.deliveriesPerSec),
      format: num(0),
    },
    {
      name: "rooms",
      scenario: "(b) many rooms",
      metric: "p99 ms",
      values: pick(rooms, (r) => r.stage.latency.p99),
      format: num(1),
    },
    {
      name: "idle",
      scenario: "(c) idle viewers",
      metric: "KB RSS per socket",
      values: pick(idle, (r) => r.kbPerSocket),
      format: num(1),
    },
    {
      name: "storm",
      scenario: "(d) reconnect storm",
      metric: "s until all resynced",
      values: pick(storm, (r) => r.resync.max / 1000),
      format: num(2),
    },
    {
      name: "storm",
      scenario: "(d) reconnect storm",
      metric: "lost events",
      values: pick(storm, (r) => r.lost),
      format: num(0),
    },
  ];
}

/** "failed" for a run that failed, "–" for one not in this run. */
function missing(results: BenchResults, name: ScenarioName, kind: ServerKind) {
  return results.scenarios[name]?.[kind] === undefined ? "–" : "failed";
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return "–";
  if (b === 0) return a === 0 ? "=" : "∞";
  return `${(a / b).toFixed(2)}×`;
}

function summaryTable(results: BenchResults): string {
  const servers = results.servers;
  const header = [
    "scenario",
    "metric",
    ...servers.map((k) => SERVER_LABELS[k]),
    "Tack ÷ ceiling",
    "Tack ÷ Socket.IO",
    "Tack ‖ ÷ ceiling",
    "Tack ‖ ÷ Socket.IO",
  ];
  const rows = summaryRows(results).map((row) => {
    const v = row.values;
    return [
      row.scenario,
      row.metric,
      ...servers.map((
        k,
      ) => (v[k] === undefined
        ? missing(results, row.name, k)
        : row.format(v[k]!))
      ),
      ratio(v.tack, v.ceiling),
      ratio(v.tack, v.socketio),
      ratio(v["tack-parallel"], v.ceiling),
      ratio(v["tack-parallel"], v.socketio),
    ];
  });
  return table(header, rows);
}

/** Each target of the issue, checked for both ways of running Tack. */
function targets(results: BenchResults): string {
  const hot = ok<HotRoomResult>(results, "hot");
  const rooms = ok<ManyRoomsResult>(results, "rooms");
  const idle = ok<IdleResult>(results, "idle");
  const storm = ok<StormResult>(results, "storm");
  const verdict = (met: boolean | undefined) =>
    met === undefined ? "not measured" : met ? "met" : "**not met**";
  const lines = [
    "| target | Tack (1 isolate) | Tack (serve --parallel) |",
    "| --- | --- | --- |",
  ];
  const check = (
    label: string,
    test: (kind: ServerKind) => boolean | undefined,
  ) =>
    lines.push(
      `| ${label} | ${verdict(test("tack"))} | ${
        verdict(test("tack-parallel"))
      } |`,
    );
  const hotTop = (kind: ServerKind) => hot[kind] && lastStage(hot[kind]!);
  check(
    "(a) ≥ 90% of the ceiling's deliveries/s at the top rate, zero loss",
    (k) => {
      const t = hotTop(k), c = hotTop("ceiling");
      if (!t || !c) return undefined;
      return t.deliveriesPerSec >= 0.9 * c.deliveriesPerSec &&
        hot[k]!.lost === 0;
    },
  );
  check("(a) beats Socket.IO on deliveries/s and p99 at the top rate", (k) => {
    const t = hotTop(k), s = hotTop("socketio");
    if (!t || !s) return undefined;
    return t.deliveriesPerSec > s.deliveriesPerSec &&
      t.latency.p99 < s.latency.p99;
  });
  check("(b) p99 ≤ 2 × the ceiling's", (k) => {
    const t = rooms[k], c = rooms.ceiling;
    if (!t || !c) return undefined;
    return t.stage.latency.p99 <= 2 * c.stage.latency.p99;
  });
  check(
    "(c) ≤ 30 KB RSS per idle socket",
    (k) => idle[k] && idle[k]!.kbPerSocket <= 30,
  );
  check("(d) zero lost events", (k) => storm[k] && storm[k]!.lost === 0);
  return lines.join("\n");
}

function failures(results: BenchResults): string {
  const lines: string[] = [];
  for (const [name, byServer] of Object.entries(results.scenarios)) {
    for (const [kind, value] of Object.entries(byServer ?? {})) {
      if (value && "error" in (value as object)) {
        const message =
          String((value as { error: string }).error).split("\n")[0];
        lines.push(
          `- ${name}, ${SERVER_LABELS[kind as ServerKind]}: ${message}`,
        );
      }
    }
  }
  return lines.length ? `\n## Failed runs\n\n${lines.join("\n")}\n` : "";
}

/** Renders `results.md`. */
export function markdownReport(results: BenchResults): string {
  const m = results.meta;
  return `# Tack benchmark results

${
    m.quick
      ? "**Quick run (small sizes): not comparable with a full run.**\n\n"
      : ""
  }${
    m.tackKv === "memory"
      ? "**Tack kept its KV in memory (`--tack-kv=memory`), not in a file as it runs.**\n\n"
      : ""
  }- Date: ${m.date}, Tack commit ${m.commit}
- Machine: ${m.cores} cores (${m.cpuModel}); 1-minute load average ${
    m.loadAverageAtStart.toFixed(2)
  } at start, mean ${m.loadAverageDuring.mean.toFixed(2)} and max ${
    m.loadAverageDuring.max.toFixed(2)
  } during the run (above the core count, runnable threads waited for a CPU)
- Deno ${m.deno} (V8 ${m.v8}), Node ${m.node}, Socket.IO ${m.socketio}
- Generator: ${m.viewerWorkers} viewer worker isolates plus the writer, on the same machine

## Summary

Ratios divide Tack's number by the baseline's: above 1× is better for
deliveries/s, below 1× is better for latency, memory and time. "Tack ‖" is
Tack under \`deno serve --parallel\`.

${summaryTable(results)}

## Targets

${targets(results)}

## (a) One hot room: ${m.sizes.hot.viewers} viewers, rising write rate

${hotDetails(results)}

![p99 latency against offered load](p99.svg)

## (b) ${m.sizes.rooms.rooms} rooms × ${m.sizes.rooms.viewersPerRoom} viewers, ${m.sizes.rooms.stage.rate} writes/s spread over them

${roomsDetails(results)}

## (c) ${
    m.sizes.idle.rooms * m.sizes.idle.viewersPerRoom
  } idle viewers held ${m.sizes.idle.holdSeconds} s

${idleDetails(results)}

## (d) Reconnect storm: ${
    m.sizes.storm.rooms * m.sizes.storm.viewersPerRoom
  } viewers dropped at once, reconnecting with \`since\`

${stormDetails(results)}

## Page weight (gzipped JavaScript per page)

${pageWeightTable(results)}
${failures(results)}`;
}

/** The p99-against-load chart of scenario (a). */
export function p99Chart(results: BenchResults): string {
  const hot = ok<HotRoomResult>(results, "hot");
  const series: ChartSeries[] = Object.entries(hot).map(([kind, r]) => ({
    label: SERVER_LABELS[kind as ServerKind],
    color: COLORS[kind as ServerKind],
    points: r!.stages.map((s) => [s.rate, s.latency.p99] as [number, number]),
  }));
  return lineChartSvg(series, {
    title:
      `p99 publish-to-deliver latency, one room of ${results.meta.sizes.hot.viewers} viewers`,
    xLabel: "offered writes per second",
    yLabel: "p99 latency (log scale)",
  });
}

/** Writes `results.json`, `results.md` and `p99.svg` into `dir`. */
export async function writeReport(
  results: BenchResults,
  dir: URL,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    new URL("results.json", dir),
    JSON.stringify(results, null, 2) + "\n",
  );
  await Deno.writeTextFile(new URL("results.md", dir), markdownReport(results));
  await Deno.writeTextFile(new URL("p99.svg", dir), p99Chart(results));
}
