import assert from "node:assert/strict";
import { backoffDelay } from "./backoff.ts";

Deno.test("backoffDelay: the ceiling doubles from 500 ms up to the cap", () => {
  const max = () => 0.999999;
  const ceilings = [0, 1, 2, 3, 4, 5, 6, 10].map((n) =>
    backoffDelay(n, { random: max }) + 1
  );
  assert.deepEqual(ceilings, [
    500,
    1000,
    2000,
    4000,
    8000,
    16000,
    20000,
    20000,
  ]);
});

Deno.test("backoffDelay: full jitter spans zero to the ceiling", () => {
  assert.equal(backoffDelay(4, { random: () => 0 }), 0);
  assert.equal(backoffDelay(4, { random: () => 0.25 }), 2000);
  assert.equal(
    backoffDelay(2, { baseMs: 100, capMs: 300, random: () => 0.5 }),
    150,
  );
});
