import assert from "node:assert/strict";
import { checkHealth } from "./health.ts";

Deno.test("health is ok when the read answers", async () => {
  const health = await checkHealth(1_000, () => Promise.resolve(null));
  assert.equal(health.ok, true);
  assert.equal(health.kv, "ok");
  assert.equal(typeof health.isolate, "string");
  assert.equal(health.sockets, 0);
  assert.ok(health.rss > 0);
});

Deno.test("health fails when the read fails or does not answer in time", async () => {
  const failed = await checkHealth(1_000, () => Promise.reject(new Error("x")));
  assert.deepEqual([failed.ok, failed.kv], [false, "unreachable"]);
  let release = () => {};
  const hanging = new Promise<void>((resolve) => release = resolve);
  const slow = await checkHealth(10, () => hanging);
  release();
  assert.deepEqual([slow.ok, slow.kv], [false, "unreachable"]);
});
