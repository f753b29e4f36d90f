import assert from "node:assert/strict";
import { Histogram } from "./histogram.ts";
import { deliveryRate, roomIds, stageStats, viewerRooms } from "./measure.ts";
import type { ProcMonitor, WindowStats } from "./proc_stats.ts";
import type { WriteStageResult } from "./writer.ts";

Deno.test("deliveryRate: the documented example", () => {
  assert.equal(
    deliveryRate({ "10": 500, "11": 800, "12": 900 }, 10_500, 13_000),
    850,
  );
});

Deno.test("deliveryRate counts only whole seconds inside the window", () => {
  const arrivals = { "9": 99_999, "10": 500, "11": 800, "12": 900, "13": 7 };
  // 10.5 s … 13.0 s: second 10 is partial (ramp-up), 13 starts at the end.
  assert.equal(deliveryRate(arrivals, 10_500, 13_000), 850);
  // 10.0 s … 13.0 s: seconds 10, 11 and 12 are whole.
  assert.equal(deliveryRate(arrivals, 10_000, 13_000), (500 + 800 + 900) / 3);
  // 10.0 s … 12.999 s: second 12 is not whole any more.
  assert.equal(deliveryRate(arrivals, 10_000, 12_999), (500 + 800) / 2);
});

Deno.test("deliveryRate: seconds without arrivals count as 0", () => {
  assert.equal(deliveryRate({ "10": 600 }, 10_000, 13_000), 200);
  assert.equal(deliveryRate({}, 10_000, 13_000), 0);
  // Keys are strings in JSON; a second outside the window is ignored.
  assert.equal(deliveryRate({ "20": 600 }, 10_000, 13_000), 0);
});

Deno.test("deliveryRate: a window without a whole second uses every second it touches", () => {
  const arrivals = { "9": 1, "10": 400, "11": 800, "12": 5 };
  // Inside one second: just that second.
  assert.equal(deliveryRate(arrivals, 10_200, 10_800), 400);
  // Straddling a boundary, no whole second inside: both seconds touched.
  assert.equal(deliveryRate(arrivals, 10_500, 11_500), (400 + 800) / 2);
  // One whole second inside a 1.4 s window: only that one.
  assert.equal(deliveryRate(arrivals, 10_800, 12_200), 800);
});

Deno.test("roomIds numbers rooms from 0 after the prefix", () => {
  assert.deepEqual(roomIds("hot", 3), ["hot-0", "hot-1", "hot-2"]);
  assert.deepEqual(roomIds("room", 1), ["room-0"]);
  assert.deepEqual(roomIds("x", 0), []);
  const many = roomIds("r", 500);
  assert.equal(many.length, 500);
  assert.equal(new Set(many).size, 500);
  assert.equal(many[499], "r-499");
});

Deno.test("viewerRooms repeats each room once per viewer, in order", () => {
  assert.deepEqual(viewerRooms(["a", "b"], 3), ["a", "a", "a", "b", "b", "b"]);
  assert.deepEqual(viewerRooms(["a", "b"], 1), ["a", "b"]);
  assert.deepEqual(viewerRooms(["a", "b"], 0), []);
  assert.deepEqual(viewerRooms([], 10), []);
  assert.equal(viewerRooms(roomIds("idle", 1_000), 10).length, 10_000);
});

/** A `ProcMonitor` stand-in that answers `window()` and records its calls. */
function fakeMonitor(stats: WindowStats) {
  const calls: [number, number][] = [];
  const monitor = {
    window(from: number, to: number): WindowStats {
      calls.push([from, to]);
      return stats;
    },
  };
  return { monitor: monitor as unknown as ProcMonitor, calls };
}

function writeResult(overrides: Partial<WriteStageResult> = {}) {
  const response = { count: 40, p50: 1, p95: 2, p99: 3, max: 4, mean: 1.5 };
  return {
    rate: 20,
    seconds: 2,
    offered: 40,
    ok: 38,
    failed: 1,
    skipped: 1,
    response,
    startedAt: 100_000,
    endedAt: 102_000,
    ...overrides,
  } satisfies WriteStageResult;
}

Deno.test("stageStats merges writes, deliveries and resource use", () => {
  const write = writeResult();
  const latency = new Histogram();
  const delivered = 100;
  for (let i = 0; i < delivered; i++) latency.record(1 + i / 10);
  const viewersPerRoom = 3;
  const server = fakeMonitor({ cpuPercent: 42.5, rssMaxBytes: 3 * 2 ** 20 });
  const generator = fakeMonitor({ cpuPercent: 17, rssMaxBytes: 123 });
  const arrivals = { "99": 1_000, "100": 40, "101": 60, "102": 1_000 };

  const stats = stageStats(
    write,
    latency,
    arrivals,
    viewersPerRoom,
    server.monitor,
    generator.monitor,
  );

  assert.deepEqual(stats, {
    rate: 20,
    offeredDeliveriesPerSec: 60,
    deliveriesPerSec: 50, // seconds 100 and 101 only
    latency: latency.summary(),
    writesOk: 38,
    writesFailed: 1,
    writesSkipped: 1,
    lost: 38 * 3 - 100,
    writeResponse: write.response,
    serverCpuPercent: 42.5,
    serverRssMb: 3,
    generatorCpuPercent: 17,
  });
  // Both monitors are read over the stage's own window.
  assert.deepEqual(server.calls, [[100_000, 102_000]]);
  assert.deepEqual(generator.calls, [[100_000, 102_000]]);
});

Deno.test("stageStats without any delivery: empty latency, every write lost", () => {
  const server = fakeMonitor({ cpuPercent: 0, rssMaxBytes: 2 ** 19 });
  const generator = fakeMonitor({ cpuPercent: 1, rssMaxBytes: 0 });
  const stats = stageStats(
    writeResult({ ok: 10 }),
    undefined,
    {},
    5,
    server.monitor,
    generator.monitor,
  );
  assert.deepEqual(stats.latency, {
    count: 0,
    p50: 0,
    p95: 0,
    p99: 0,
    max: 0,
    mean: 0,
  });
  assert.equal(stats.lost, 50);
  assert.equal(stats.deliveriesPerSec, 0);
  assert.equal(stats.serverRssMb, 0.5);
});
