import assert from "node:assert/strict";
import { isDarkBackground, luminance, parseRgb } from "./theme.ts";

Deno.test("parseRgb: comma and space syntaxes, alpha", () => {
  assert.deepEqual(parseRgb("rgb(10, 20, 30)"), { r: 10, g: 20, b: 30, a: 1 });
  assert.deepEqual(parseRgb("rgba(0, 0, 0, 0)"), { r: 0, g: 0, b: 0, a: 0 });
  assert.deepEqual(parseRgb("rgb(1 2 3 / 50%)"), { r: 1, g: 2, b: 3, a: 0.5 });
  assert.equal(parseRgb("transparent"), null);
});

Deno.test("luminance: black 0, white 1, green brighter than blue", () => {
  assert.equal(luminance({ r: 0, g: 0, b: 0 }), 0);
  assert.equal(luminance({ r: 255, g: 255, b: 255 }), 1);
  assert.ok(
    luminance({ r: 0, g: 255, b: 0 }) > luminance({ r: 0, g: 0, b: 255 }),
  );
});

Deno.test("isDarkBackground: the first opaque colour decides", () => {
  assert.equal(
    isDarkBackground([
      "rgba(0, 0, 0, 0)",
      "rgb(17, 24, 39)",
      "rgb(255, 255, 255)",
    ]),
    true,
  );
  assert.equal(
    isDarkBackground(["rgba(0, 0, 0, 0)", "rgb(250, 250, 250)"]),
    false,
  );
  assert.equal(isDarkBackground(["rgb(128, 128, 128)"]), false);
  assert.equal(isDarkBackground(["rgba(0, 0, 0, 0)"]), null);
});
