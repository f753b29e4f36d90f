import assert from "node:assert/strict";
import {
  cpuPercent,
  processTree,
  ProcMonitor,
  type ProcSample,
  sampleProcessTree,
} from "./proc_stats.ts";

const sample = (at: number, cpuMs: number, rssBytes = 0): ProcSample => ({
  at,
  cpuMs,
  rssBytes,
});

Deno.test("cpuPercent is CPU time over wall time, in percent of one core", () => {
  assert.equal(cpuPercent(sample(10_000, 1_000), sample(11_000, 1_500)), 50);
  // Two cores busy for the whole window.
  assert.equal(cpuPercent(sample(10_000, 1_000), sample(12_000, 5_000)), 200);
  assert.equal(cpuPercent(sample(0, 300), sample(4_000, 300)), 0);
  assert.ok(
    Math.abs(cpuPercent(sample(0, 0), sample(3_000, 1_000)) - 100 / 3) < 1e-12,
  );
});

Deno.test("cpuPercent of an empty or reversed window is 0", () => {
  assert.equal(cpuPercent(sample(5_000, 0), sample(5_000, 100)), 0);
  assert.equal(cpuPercent(sample(6_000, 0), sample(5_000, 100)), 0);
});

Deno.test("processTree starts at the root pid", () => {
  const tree = processTree(Deno.pid);
  assert.equal(tree[0], Deno.pid);
  assert.equal(new Set(tree).size, tree.length);
});

Deno.test("processTree includes a child process, and a child's tree is its own", async () => {
  const child = new Deno.Command("sleep", {
    args: ["30"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    assert.ok(processTree(Deno.pid).includes(child.pid));
    const subtree = processTree(child.pid);
    assert.deepEqual(subtree, [child.pid]);
    assert.ok(!subtree.includes(Deno.pid));
    const own = sampleProcessTree(child.pid, false);
    assert.ok(own.rssBytes > 0);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});

Deno.test("sampleProcessTree reads this process's RSS and CPU time", () => {
  const before = sampleProcessTree(Deno.pid, false);
  assert.ok(before.rssBytes > 1024 * 1024, `RSS ${before.rssBytes}`);
  assert.ok(before.cpuMs > 0);
  assert.ok(Math.abs(before.at - Date.now()) < 1_000);
  // Burn CPU until the tick counter (10 ms resolution) moves.
  const deadline = performance.now() + 2_000;
  let after = sampleProcessTree(Deno.pid, false);
  while (after.cpuMs === before.cpuMs && performance.now() < deadline) {
    const end = performance.now() + 5;
    while (performance.now() < end) { /* spin */ }
    after = sampleProcessTree(Deno.pid, false);
  }
  assert.ok(after.cpuMs > before.cpuMs, "CPU time did not grow");
  assert.equal((after.cpuMs - before.cpuMs) % 10, 0); // whole ticks
  assert.ok(after.at > before.at);
  assert.ok(cpuPercent(before, after) > 0);
});

/** A monitor that stopped sampling, with the given samples instead. */
function monitorWith(samples: ProcSample[]): ProcMonitor {
  const monitor = new ProcMonitor(Deno.pid, false, 60_000);
  monitor.stop();
  monitor.samples.splice(0, monitor.samples.length, ...samples);
  return monitor;
}

Deno.test("ProcMonitor.window: CPU between the window's samples, peak RSS", () => {
  const monitor = monitorWith([
    sample(1_000, 0, 10),
    sample(2_000, 500, 30),
    sample(3_000, 1_500, 20),
    sample(4_000, 1_600, 50),
  ]);
  assert.deepEqual(monitor.window(1_500, 3_500), {
    cpuPercent: 100,
    rssMaxBytes: 30,
  });
  assert.deepEqual(monitor.window(1_000, 4_000), {
    cpuPercent: 1_600 / 30,
    rssMaxBytes: 50,
  });
  // No sample inside: the nearest ones at either edge.
  assert.deepEqual(monitor.window(2_100, 2_900), {
    cpuPercent: 100,
    rssMaxBytes: 30,
  });
});

Deno.test("ProcMonitor samples until stopped", async () => {
  const monitor = new ProcMonitor(Deno.pid, false, 20);
  await new Promise((resolve) => setTimeout(resolve, 120));
  monitor.stop();
  const taken = monitor.samples.length;
  assert.ok(taken >= 2, `${taken} samples`);
  const times = monitor.samples.map((s) => s.at);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(monitor.samples.length, taken);
});
