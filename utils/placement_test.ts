import assert from "node:assert/strict";
import { placeBeside } from "./placement.ts";

const viewport = { width: 1280, height: 800 };
const size = { width: 300, height: 400 };
const at = (left: number, top: number) => ({
  left,
  top,
  width: 40,
  height: 40,
});

Deno.test("placeBeside: to the right of the anchor, aligned with its top", () => {
  assert.deepEqual(placeBeside(at(100, 100), size, viewport), {
    left: 148,
    top: 100,
    side: "right",
  });
});

Deno.test("placeBeside: to the left when the right side has no room", () => {
  assert.deepEqual(placeBeside(at(1100, 100), size, viewport), {
    left: 792,
    top: 100,
    side: "left",
  });
});

Deno.test("placeBeside: moved up to stay inside the bottom edge", () => {
  const placed = placeBeside(at(100, 700), size, viewport);
  assert.equal(placed.top, 800 - 8 - 400);
  assert.equal(placed.side, "right");
});

Deno.test("placeBeside: below or above in a narrow viewport", () => {
  const narrow = { width: 500, height: 900 };
  assert.deepEqual(placeBeside(at(230, 50), size, narrow), {
    left: 100,
    top: 98,
    side: "below",
  });
  assert.equal(placeBeside(at(230, 800), size, narrow).side, "above");
});

Deno.test("placeBeside: never leaves the viewport, even when nothing fits", () => {
  const tiny = { width: 320, height: 300 };
  const placed = placeBeside(at(150, 150), size, tiny);
  assert.ok(placed.left >= 8);
  assert.ok(placed.top >= 8);
});
