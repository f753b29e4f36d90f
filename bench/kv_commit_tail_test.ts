import assert from "node:assert/strict";
import { tailRow, timed } from "./kv_commit_tail.ts";

Deno.test("tailRow: a stall is an operation over three times the median", () => {
  // 290 operations of 0.3 ms, 5 of 0.9 ms (exactly 3 × p50: not a stall)
  // and 5 of 4 ms (stalls).
  const durations = [
    ...Array(290).fill(0.3),
    ...Array(5).fill(0.9),
    ...Array(5).fill(4),
  ];
  const row = tailRow("mixed", durations);
  assert.equal(row.what, "mixed");
  assert.equal(row.operations, 300);
  assert.equal(row.stalls, 5);
  assert.ok(Math.abs(row.p50 - 0.3) < 0.01, `p50 ${row.p50}`);
  assert.ok(Math.abs(row.p99 - 4) / 4 < 0.02, `p99 ${row.p99}`);
  assert.equal(row.max, 4);
});

Deno.test("tailRow: no operations, no stalls", () => {
  const row = tailRow("none", []);
  assert.deepEqual(
    { ...row },
    { what: "none", p50: 0, p99: 0, max: 0, stalls: 0, operations: 0 },
  );
});

Deno.test("timed: 300 operations a second, one at a time, in order", async () => {
  const calls: number[] = [];
  let running = 0;
  const start = performance.now();
  const row = await timed("paced", 1, async (i) => {
    running++;
    assert.equal(running, 1, "operations overlap");
    calls.push(i);
    await Promise.resolve();
    running--;
  });
  const elapsed = performance.now() - start;
  assert.equal(row.operations, 300);
  assert.deepEqual(calls, Array.from({ length: 300 }, (_, i) => i));
  // Paced, not back to back: the 300th starts 299/300 of a second in.
  assert.ok(elapsed >= 990, `took ${elapsed} ms`);
});
