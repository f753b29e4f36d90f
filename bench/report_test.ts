import assert from "node:assert/strict";
import type { LatencySummary } from "./histogram.ts";
import type { StageStats } from "./measure.ts";
import { markdownReport, p99Chart, writeReport } from "./report.ts";
import { lastStage, num, ok, pageWeightTable, table } from "./report_tables.ts";
import type { BenchResults } from "./run.ts";
import {
  FULL_SIZES,
  type HotRoomResult,
  type IdleResult,
  type ManyRoomsResult,
  type ScenarioSizes,
  type StormResult,
} from "./scenarios.ts";
import { SERVER_LABELS } from "./servers.ts";
import type { ServerKind } from "./wire.ts";

/** The full sizes, with (a) cut to its first and last stage. */
const SIZES: ScenarioSizes = {
  ...FULL_SIZES,
  hot: {
    viewers: 1_000,
    stages: [{ rate: 10, seconds: 7 }, { rate: 200, seconds: 7 }],
  },
};

const SERVERS: ServerKind[] = ["ceiling", "socketio", "tack", "tack-parallel"];

function latency(p99: number): LatencySummary {
  return {
    count: 1_000,
    p50: p99 / 4,
    p95: p99 / 2,
    p99,
    max: p99 * 2,
    mean: p99 / 3,
  };
}

function stage(
  rate: number,
  deliveriesPerSec: number,
  p99: number,
): StageStats {
  return {
    rate,
    offeredDeliveriesPerSec: rate * 1_000,
    deliveriesPerSec,
    latency: latency(p99),
    writesOk: rate * 7,
    writesFailed: 0,
    writesSkipped: 0,
    lost: 0,
    writeResponse: latency(1),
    serverCpuPercent: 50,
    serverRssMb: 100,
    generatorCpuPercent: 60,
  };
}

const totals = (lost: number) => ({
  viewers: 1_000,
  failedViewers: 0,
  closedByServer: 0,
  lost,
  duplicates: 0,
  undeliveredAfterDrain: 0,
});

function hot(top: StageStats, lost = 0): HotRoomResult {
  return { ...totals(lost), stages: [stage(10, 10_000, 20), top] };
}

function rooms(p99: number, deliveriesPerSec = 3_000): ManyRoomsResult {
  return { ...totals(0), rooms: 500, stage: stage(300, deliveriesPerSec, p99) };
}

function idle(kbPerSocket: number): IdleResult {
  return {
    viewers: 10_000,
    failedViewers: 0,
    closedByServer: 0,
    connectSeconds: 5,
    rssBeforeMb: 50,
    rssHeldMb: 50 + (kbPerSocket * 10_000) / 1024,
    kbPerSocket,
    serverCpuPercentHeld: 2,
  };
}

/** `allResyncedMs` is the resync's max (twice its p99, as `latency` builds it). */
function storm(lost: number, allResyncedMs: number): StormResult {
  return {
    ...totals(lost),
    rooms: 100,
    resync: latency(allResyncedMs / 2),
    unresynced: 0,
    coveredBySnapshot: 0,
    writesOk: 1_700,
    writesFailed: 0,
  };
}

/**
 * Tack (1 isolate) meets every target, Tack ‖ misses every one:
 * (a) 85,000 < 90% of the ceiling's 100,000 and fewer than Socket.IO's;
 * (b) p99 1.5× vs 3× the ceiling's 2 ms; (c) 25 vs 35 KB; (d) 0 vs 3 lost.
 */
function fixture(): BenchResults {
  return {
    meta: {
      date: "2026-12-04T02:35:36.116Z",
      commit: "abc1234",
      quick: false,
      cores: 2,
      cpuModel: "Test CPU",
      deno: "2.9.6",
      v8: "15.0",
      node: "v20.0.0",
      socketio: "4.8.4",
      loadAverageAtStart: 1.5,
      loadAverageDuring: { mean: 1.25, max: 2.75 },
      viewerWorkers: 3,
      sizes: SIZES,
    },
    servers: SERVERS,
    scenarios: {
      hot: {
        ceiling: hot(stage(200, 100_000, 2_000), 1_234),
        socketio: hot(stage(200, 150_000, 1_300)),
        tack: hot(stage(200, 200_000, 100)),
        "tack-parallel": hot(stage(200, 85_000, 130)),
      },
      rooms: {
        ceiling: rooms(2),
        socketio: rooms(4),
        tack: rooms(3),
        "tack-parallel": rooms(6),
      },
      idle: {
        ceiling: idle(20),
        socketio: idle(40),
        tack: idle(25),
        "tack-parallel": idle(35),
      },
      storm: {
        ceiling: storm(0, 300),
        socketio: storm(0, 800),
        tack: storm(0, 600),
        "tack-parallel": storm(3, 720),
      },
    },
    pageWeight: [
      {
        path: "/demo/image",
        files: [{
          url: "/_frsh/js/B/main.js",
          bytes: 50_000,
          gzipBytes: 19_014,
        }],
        totalBytes: 50_000,
        totalGzipBytes: 19_014,
      },
      {
        path: "/demo/text",
        files: [
          { url: "/_frsh/js/B/main.js", bytes: 50_000, gzipBytes: 19_014 },
          { url: "/_frsh/js/B/chunk.js", bytes: 3_000, gzipBytes: 1_500 },
        ],
        totalBytes: 53_000,
        totalGzipBytes: 20_514,
      },
    ],
  };
}

/** The cells of the markdown table row whose first cells are `first`. */
function row(markdown: string, ...first: string[]): string[] {
  const rows = markdown.split("\n")
    .filter((line) => line.startsWith("| "))
    .map((line) => line.slice(2, -2).split(" | "));
  const found = rows.filter((cells) => first.every((c, i) => cells[i] === c));
  assert.equal(found.length, 1, `one row starting ${first.join(" | ")}`);
  return found[0];
}

/** A summary row as { column header: cell }. */
function summaryRow(markdown: string, scenario: string, metric: string) {
  const header = row(markdown, "scenario", "metric");
  const cells = row(markdown, scenario, metric);
  assert.equal(cells.length, header.length);
  return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
}

/** A target's verdicts: [Tack (1 isolate), Tack (serve --parallel)]. */
function verdicts(markdown: string, target: string): string[] {
  return row(markdown, target).slice(1);
}

const TARGETS = {
  a90: "(a) ≥ 90% of the ceiling's deliveries/s at the top rate, zero loss",
  aSocketIo: "(a) beats Socket.IO on deliveries/s and p99 at the top rate",
  b: "(b) p99 ≤ 2 × the ceiling's",
  c: "(c) ≤ 30 KB RSS per idle socket",
  d: "(d) zero lost events",
};

const MET = "met";
const NOT_MET = "**not met**";

Deno.test("markdownReport: each target met or not met by the numbers", () => {
  const md = markdownReport(fixture());
  assert.deepEqual(verdicts(md, TARGETS.a90), [MET, NOT_MET]);
  assert.deepEqual(verdicts(md, TARGETS.aSocketIo), [MET, NOT_MET]);
  assert.deepEqual(verdicts(md, TARGETS.b), [MET, NOT_MET]); // 1.5× vs 3×
  assert.deepEqual(verdicts(md, TARGETS.c), [MET, NOT_MET]); // 25 vs 35 KB
  assert.deepEqual(verdicts(md, TARGETS.d), [MET, NOT_MET]); // 0 vs 3 lost
});

Deno.test("markdownReport: targets at their exact limits are met", () => {
  const results = fixture();
  const s = results.scenarios;
  s.hot!["tack-parallel"] = hot(stage(200, 90_000, 1_299)); // 90%, < Socket.IO
  s.rooms!["tack-parallel"] = rooms(4); // exactly 2×
  s.idle!["tack-parallel"] = idle(30);
  s.storm!["tack-parallel"] = storm(0, 700);
  const md = markdownReport(results);
  for (const target of [TARGETS.a90, TARGETS.b, TARGETS.c, TARGETS.d]) {
    assert.deepEqual(verdicts(md, target), [MET, MET], target);
  }
  // …but Socket.IO must be beaten, not equalled.
  s.hot!.socketio = hot(stage(200, 90_000, 1_299));
  assert.deepEqual(
    verdicts(markdownReport(results), TARGETS.aSocketIo),
    [MET, NOT_MET],
  );
});

Deno.test("markdownReport: (a) needs zero loss as well as the deliveries", () => {
  const results = fixture();
  results.scenarios.hot!.tack = hot(stage(200, 200_000, 100), 1);
  const md = markdownReport(results);
  assert.deepEqual(verdicts(md, TARGETS.a90), [NOT_MET, NOT_MET]);
  // The Socket.IO comparison is about deliveries and p99 only.
  assert.deepEqual(verdicts(md, TARGETS.aSocketIo), [MET, NOT_MET]);
});

Deno.test("markdownReport: summary values and the ratios Tack ÷ baseline", () => {
  const md = markdownReport(fixture());
  const label = (k: ServerKind) => SERVER_LABELS[k];

  const deliveries = summaryRow(
    md,
    "(a) hot room, 200 writes/s",
    "deliveries/s",
  );
  assert.equal(deliveries[label("ceiling")], "100,000");
  assert.equal(deliveries[label("tack")], "200,000");
  assert.equal(deliveries["Tack ÷ ceiling"], "2.00×");
  assert.equal(deliveries["Tack ÷ Socket.IO"], "1.33×");
  assert.equal(deliveries["Tack ‖ ÷ ceiling"], "0.85×");
  assert.equal(deliveries["Tack ‖ ÷ Socket.IO"], "0.57×");

  const hotLost = summaryRow(md, "(a) hot room, whole ramp", "lost events");
  assert.equal(hotLost[label("ceiling")], "1,234");
  assert.equal(hotLost["Tack ÷ ceiling"], "0.00×");

  const p99 = summaryRow(md, "(b) many rooms", "p99 ms");
  assert.equal(p99[label("tack")], "3");
  assert.equal(p99["Tack ÷ ceiling"], "1.50×");
  assert.equal(p99["Tack ‖ ÷ ceiling"], "3.00×");
  assert.equal(p99["Tack ÷ Socket.IO"], "0.75×");

  const kb = summaryRow(md, "(c) idle viewers", "KB RSS per socket");
  assert.equal(kb["Tack ÷ ceiling"], "1.25×");
  assert.equal(kb["Tack ‖ ÷ Socket.IO"], "0.88×");

  const resync = summaryRow(md, "(d) reconnect storm", "s until all resynced");
  assert.equal(resync[label("tack")], "0.6");
  assert.equal(resync["Tack ÷ ceiling"], "2.00×");

  const lost = summaryRow(md, "(d) reconnect storm", "lost events");
  assert.equal(lost["Tack ÷ ceiling"], "="); // 0 ÷ 0
  assert.equal(lost["Tack ‖ ÷ ceiling"], "∞"); // 3 ÷ 0
});

Deno.test("markdownReport: meta, headings and the page-weight table", () => {
  const md = markdownReport(fixture());
  assert.ok(md.startsWith("# Tack benchmark results\n"));
  assert.ok(!md.includes("Quick run"));
  assert.ok(md.includes("Tack commit abc1234"));
  assert.ok(md.includes("1-minute load average 1.50 at start, mean 1.25"));
  assert.ok(md.includes("## (a) One hot room: 1000 viewers"));
  assert.ok(md.includes("## (b) 500 rooms × 10 viewers, 300 writes/s"));
  assert.ok(md.includes("## (c) 10000 idle viewers held 30 s"));
  assert.ok(md.includes("## (d) Reconnect storm: 2000 viewers"));
  assert.ok(md.includes("![p99 latency against offered load](p99.svg)"));
  assert.ok(!md.includes("## Failed runs"));
  assert.ok(!md.includes("undefined") && !md.includes("NaN"));
  // 19,014 bytes is under 20 KiB (20,480), 20,514 is over.
  assert.deepEqual(row(md, "/demo/image"), [
    "/demo/image",
    "1",
    "50,000",
    "19,014",
    MET,
  ]);
  assert.deepEqual(row(md, "/demo/text"), [
    "/demo/text",
    "2",
    "53,000",
    "20,514",
    NOT_MET,
  ]);

  const quick = fixture();
  quick.meta.quick = true;
  assert.ok(markdownReport(quick).includes("**Quick run (small sizes)"));
});

Deno.test("markdownReport: a run with Tack's KV in memory says so at the top", () => {
  const banner = "**Tack kept its KV in memory";
  const onFile = fixture();
  onFile.meta.tackKv = "file";
  assert.ok(!markdownReport(onFile).includes(banner));
  assert.ok(!markdownReport(fixture()).includes(banner));
  const inMemory = fixture();
  inMemory.meta.tackKv = "memory";
  const md = markdownReport(inMemory);
  assert.ok(md.indexOf(banner) < md.indexOf("## Summary"));
  assert.ok(md.includes(banner));
});

Deno.test("markdownReport: the detailed tables have a row per server and stage", () => {
  const md = markdownReport(fixture());
  const label = SERVER_LABELS.tack;
  // (a): one row per stage per server.
  assert.deepEqual(row(md, label, "10").slice(0, 4), [
    label,
    "10",
    "10,000",
    "10,000",
  ]);
  assert.deepEqual(row(md, label, "200").slice(0, 4), [
    label,
    "200",
    "200,000",
    "200,000",
  ]);
  // (c): sockets, connect s, RSS before, RSS held, KB per socket.
  assert.deepEqual(
    row(md, SERVER_LABELS["tack-parallel"], "10,000").slice(0, 6),
    [SERVER_LABELS["tack-parallel"], "10,000", "5", "50", "392", "35"],
  );
});

Deno.test("markdownReport: failed runs render as failed, targets as not measured", () => {
  const results = fixture();
  for (const name of ["hot", "rooms", "idle", "storm"] as const) {
    results.scenarios[name]!["tack-parallel"] = {
      error: `${name} timed out after 240000 ms\n    at somewhere`,
    };
  }
  results.scenarios.rooms!.ceiling = { error: "server did not start" };
  results.pageWeight = { error: "HTTP 500" };
  const md = markdownReport(results);
  assert.ok(!md.includes("undefined") && !md.includes("NaN"));

  for (const target of Object.values(TARGETS)) {
    const expected = target === TARGETS.b
      ? ["not measured", "not measured"] // no ceiling to compare with
      : [MET, "not measured"];
    assert.deepEqual(verdicts(md, target), expected, target);
  }
  const p99 = summaryRow(md, "(b) many rooms", "p99 ms");
  assert.equal(p99[SERVER_LABELS.ceiling], "failed");
  assert.equal(p99[SERVER_LABELS["tack-parallel"]], "failed");
  assert.equal(p99["Tack ÷ ceiling"], "–");
  assert.equal(p99["Tack ÷ Socket.IO"], "0.75×");

  assert.ok(md.includes("\n## Failed runs\n"));
  assert.ok(
    md.includes(`- rooms, ${SERVER_LABELS.ceiling}: server did not start`),
  );
  assert.ok(
    md.includes(
      `- storm, ${
        SERVER_LABELS["tack-parallel"]
      }: storm timed out after 240000 ms\n`,
    ),
  );
  assert.ok(!md.includes("at somewhere")); // first line of the error only
  assert.ok(md.includes("Not measured: HTTP 500"));
});

Deno.test("markdownReport: a scenario or server not in the run shows a dash", () => {
  const results = fixture();
  results.servers = ["ceiling", "tack"];
  delete results.scenarios.idle;
  delete results.scenarios.storm!["tack-parallel"];
  delete results.scenarios.hot!.socketio;
  const md = markdownReport(results);
  assert.deepEqual(verdicts(md, TARGETS.c), ["not measured", "not measured"]);
  assert.deepEqual(verdicts(md, TARGETS.d), [MET, "not measured"]);
  assert.deepEqual(verdicts(md, TARGETS.aSocketIo), [
    "not measured",
    "not measured",
  ]);
  const kb = summaryRow(md, "(c) idle viewers", "KB RSS per socket");
  assert.equal(kb[SERVER_LABELS.tack], "–");
  assert.equal(kb["Tack ÷ ceiling"], "–");
  assert.ok(!(SERVER_LABELS.socketio in kb)); // not a column of this run
  assert.ok(!md.includes("## Failed runs"));
});

Deno.test("p99Chart: an SVG with one series per server that ran (a)", () => {
  const results = fixture();
  const svg = p99Chart(results);
  assert.ok(svg.startsWith("<svg "));
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  assert.equal(svg.match(/<path /g)?.length, 4);
  for (const kind of SERVERS) {
    assert.ok(svg.includes(`>${SERVER_LABELS[kind]}<`));
  }
  assert.ok(svg.includes("one room of 1000 viewers"));
  assert.ok(!svg.includes("NaN"));
  // Each line has a point per stage: 2 stages × 4 servers.
  assert.equal(svg.match(/<circle /g)?.length, 8);

  results.scenarios.hot!.socketio = { error: "crashed" };
  const fewer = p99Chart(results);
  assert.equal(fewer.match(/<path /g)?.length, 3);
  assert.ok(!fewer.includes(SERVER_LABELS.socketio));
});

Deno.test("writeReport writes results.json, results.md and p99.svg", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tack-report-test-" });
  try {
    const results = fixture();
    const out = new URL(`file://${dir}/nested/`);
    await writeReport(results, out);
    const json = JSON.parse(
      await Deno.readTextFile(new URL("results.json", out)),
    );
    assert.deepEqual(json, results);
    assert.equal(
      await Deno.readTextFile(new URL("results.md", out)),
      markdownReport(results),
    );
    assert.equal(
      await Deno.readTextFile(new URL("p99.svg", out)),
      p99Chart(results),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report_tables helpers: ok, lastStage, num, table, pageWeightTable", () => {
  const results = fixture();
  results.scenarios.hot!.ceiling = { error: "x" };
  assert.deepEqual(Object.keys(ok(results, "hot")), [
    "socketio",
    "tack",
    "tack-parallel",
  ]);
  assert.deepEqual(ok(results, "idle").tack, idle(25));
  assert.deepEqual(ok({ ...results, scenarios: {} }, "rooms"), {});
  const h = hot(stage(200, 1, 2));
  assert.equal(lastStage(h).rate, 200);
  assert.equal(num(0)(1234567.89), "1,234,568");
  assert.equal(num(1)(2.25), "2.3");
  assert.equal(num(2)(0.5), "0.5");
  assert.equal(
    table(["a", "b"], [["1", "2"]]),
    "| a | b |\n| --- | ---: |\n| 1 | 2 |",
  );
  assert.equal(
    pageWeightTable({ ...results, pageWeight: { error: "boom" } }),
    "Not measured: boom",
  );
});
