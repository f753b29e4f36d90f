import assert from "node:assert/strict";
import { selfTimes } from "./profile_summary.ts";

const frame = (functionName: string, url: string, lineNumber: number) => ({
  functionName,
  url,
  lineNumber,
});

/**
 * A tiny profile: (root) → handle → { fanOut, anonymous }, plus a second
 * `fanOut` node (same function, reached by another path) under (root).
 */
const PROFILE = {
  nodes: [
    { id: 1, callFrame: frame("(root)", "", -1) },
    {
      id: 2,
      callFrame: frame("handle", "file:///work/main/routes/api/ws.ts", 9),
      hitCount: 99, // ignored: self time comes from the samples
    },
    {
      id: 3,
      callFrame: frame("fanOut", "file:///work/main/utils/hub.ts", 41),
    },
    { id: 4, callFrame: frame("", "file:///work/main/utils/hub.ts", 99) },
    {
      id: 5,
      callFrame: frame("fanOut", "file:///work/main/utils/hub.ts", 41),
    },
  ],
  // 1 ms per sample: fanOut 4 (3 + 1 from another node), handle 3,
  // the anonymous function 2, (root) 1.
  samples: [3, 3, 2, 4, 3, 2, 5, 4, 2, 1],
  timeDeltas: Array(10).fill(1_000),
};

Deno.test("selfTimes sums samples per function, largest first", () => {
  assert.deepEqual(selfTimes(PROFILE), [
    { frame: "fanOut utils/hub.ts:42", ms: 4, percent: 40 },
    { frame: "handle api/ws.ts:10", ms: 3, percent: 30 },
    { frame: "(anonymous) utils/hub.ts:100", ms: 2, percent: 20 },
    { frame: "(root) :0", ms: 1, percent: 10 },
  ]);
});

Deno.test("selfTimes charges each sample the time delta recorded with it", () => {
  const rows = selfTimes({
    nodes: PROFILE.nodes,
    samples: [2, 2, 2, 3],
    timeDeltas: [500, 500, 500, 4_500],
  });
  assert.deepEqual(rows.map((r) => [r.frame, r.ms, r.percent]), [
    ["fanOut utils/hub.ts:42", 4.5, 75],
    ["handle api/ws.ts:10", 1.5, 25],
  ]);
});

Deno.test("selfTimes: percentages add up to 100", () => {
  const total = selfTimes(PROFILE).reduce((sum, row) => sum + row.percent, 0);
  assert.ok(Math.abs(total - 100) < 1e-9);
});

Deno.test("selfTimes of a profile without samples is empty", () => {
  assert.deepEqual(
    selfTimes({ nodes: PROFILE.nodes, samples: [], timeDeltas: [] }),
    [],
  );
});
