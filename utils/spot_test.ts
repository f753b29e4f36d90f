import assert from "node:assert/strict";
import {
  describeSpot,
  nudgeSpot,
  SPOT_BIG_STEP,
  SPOT_STEP,
  toPercent,
} from "./spot.ts";

Deno.test("toPercent: a fraction of the size, clamped and rounded to hundredths", () => {
  assert.deepEqual(toPercent(150, 400), 37.5);
  assert.deepEqual(toPercent(1, 3), 33.33);
  assert.deepEqual(toPercent(-5, 400), 0);
  assert.deepEqual(toPercent(401, 400), 100);
  // An image not laid out yet has no size: the spot is its corner, not NaN.
  assert.deepEqual(toPercent(10, 0), 0);
});

Deno.test("nudgeSpot: each arrow moves one axis by a step, Shift by a big step", () => {
  const spot = { x: 50, y: 50 };
  assert.deepEqual(nudgeSpot(spot, "ArrowLeft", false), {
    x: 50 - SPOT_STEP,
    y: 50,
  });
  assert.deepEqual(nudgeSpot(spot, "ArrowRight", false), {
    x: 50 + SPOT_STEP,
    y: 50,
  });
  assert.deepEqual(nudgeSpot(spot, "ArrowUp", false), {
    x: 50,
    y: 50 - SPOT_STEP,
  });
  assert.deepEqual(nudgeSpot(spot, "ArrowDown", true), {
    x: 50,
    y: 50 + SPOT_BIG_STEP,
  });
});

Deno.test("nudgeSpot: stops at the image's edges and keeps hundredths exact", () => {
  assert.deepEqual(nudgeSpot({ x: 95, y: 3 }, "ArrowRight", true), {
    x: 100,
    y: 3,
  });
  assert.deepEqual(nudgeSpot({ x: 95, y: 3 }, "ArrowUp", true), {
    x: 95,
    y: 0,
  });
  assert.deepEqual(nudgeSpot({ x: 0, y: 0 }, "ArrowLeft", false), {
    x: 0,
    y: 0,
  });
  // Plain addition would give 3.3499999999999996 and 1.5699999999999998.
  assert.deepEqual(nudgeSpot({ x: 4.35, y: 0.57 }, "ArrowLeft", false), {
    x: 3.35,
    y: 0.57,
  });
  assert.deepEqual(nudgeSpot({ x: 4.35, y: 0.57 }, "ArrowDown", false), {
    x: 4.35,
    y: 1.57,
  });
});

Deno.test("nudgeSpot: other keys do not move it", () => {
  for (const key of ["Enter", " ", "Tab", "a", "Home"]) {
    assert.deepEqual(nudgeSpot({ x: 1, y: 2 }, key, false), null);
  }
});

Deno.test("describeSpot: across, then down", () => {
  assert.deepEqual(describeSpot({ x: 12.5, y: 40 }), "12.5% across, 40% down");
});
