import assert from "node:assert/strict";
import {
  closeKv,
  createIfAbsent,
  deleteKeys,
  getKv,
  isContention,
  keys,
  retryContention,
} from "./db_kv.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

Deno.test("keys are led by their table and tenant", () => {
  assert.deepEqual(keys.chat("demo", "c1"), ["chats", "demo", "c1"]);
  assert.deepEqual(keys.comment("demo", "c1", "m1").slice(0, 3), [
    "comments",
    "demo",
    "c1",
  ]);
  const event = keys.event("demo", "page", 7);
  assert.deepEqual(event.slice(0, 2), ["events", "demo"]);
  assert.equal(event[3], 7);
  // A room's keys share one room part, distinct per urlId and tenant.
  assert.equal(keys.roomSeq("demo", "page")[2], event[2]);
  assert.notEqual(
    keys.roomSeq("demo", "page")[2],
    keys.roomSeq("demo", "Page")[2],
  );
  assert.notDeepEqual(
    keys.roomSeq("demo", "page"),
    keys.roomSeq("acme", "page"),
  );
});

Deno.test("getKv opens one database until closed", async () => {
  try {
    const kv = await getKv();
    assert.equal(await getKv(), kv);
  } finally {
    await closeKv();
  }
});

Deno.test("retryContention retries only contention", async () => {
  let calls = 0;
  const result = await retryContention(() => {
    calls++;
    if (calls < 3) throw new TypeError("database is locked");
    return Promise.resolve("done");
  });
  assert.equal(result, "done");
  assert.equal(calls, 3);
  assert.equal(isContention(new Error("database is busy")), true);
  assert.equal(isContention(new Error("value too large")), false);
  let failures = 0;
  await assert.rejects(
    retryContention(() => {
      failures++;
      throw new RangeError("value too large");
    }),
    RangeError,
  );
  assert.equal(failures, 1);
});

Deno.test("createIfAbsent keeps the first value", async () => {
  try {
    const key = ["test", "once"];
    const results = await Promise.all(
      ["a", "b", "c"].map((value) => createIfAbsent(key, value)),
    );
    assert.equal(new Set(results).size, 1);
    assert.equal(await createIfAbsent(key, "later"), results[0]);
  } finally {
    await closeKv();
  }
});

Deno.test("deleteKeys deletes more than one atomic operation holds", async () => {
  try {
    const kv = await getKv();
    const doomed: Deno.KvKey[] = [];
    for (let i = 0; i < 1_200; i += 100) {
      const op = kv.atomic();
      for (let j = i; j < i + 100; j++) {
        op.set(["test", j], j);
        doomed.push(["test", j]);
      }
      await op.commit();
    }
    await kv.set(["keep"], true);
    await deleteKeys(doomed);
    const left = await Array.fromAsync(kv.list({ prefix: [] }));
    assert.deepEqual(left.map((entry) => entry.key), [["keep"]]);
  } finally {
    await closeKv();
  }
});
