import assert from "node:assert/strict";
import { closeKv, getKv, keys } from "./db_kv.ts";
import {
  beatIsolate,
  countPresence,
  readBeats,
  setPresence,
} from "./db_presence.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const T = "demo";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("presence counts the other isolates that beat, and bumps its revision on a change", async () => {
  try {
    const kv = await getKv();
    const rev = async () =>
      (await kv.get(keys.presenceRev(T, "p"))).versionstamp;
    await beatIsolate("iso-a", 60_000);
    await beatIsolate("iso-b", 60_000);
    await setPresence(T, "p", "iso-a", 2, 0);
    await setPresence(T, "p", "iso-b", 3, 0);
    const seenByC = await countPresence(T, "p", "iso-c");
    assert.equal(seenByC.others, 5);
    assert.deepEqual([...seenByC.beats.keys()].sort(), ["iso-a", "iso-b"]);
    assert.ok(seenByC.beats.get("iso-a")! > 59_000);
    assert.equal((await countPresence(T, "p", "iso-a")).others, 3);
    const before = await rev();
    await setPresence(T, "p", "iso-a", 2, 2);
    assert.equal(
      await rev(),
      before,
      "a rewrite of the same count is no change",
    );
    await setPresence(T, "p", "iso-a", 2, 0);
    const revived = await rev();
    assert.notEqual(revived, before, "a count readers did not see is a change");
    await setPresence(T, "p", "iso-a", 0, 2);
    assert.notEqual(await rev(), revived);
    assert.equal((await countPresence(T, "p", "iso-c")).others, 3);
  } finally {
    await closeKv();
  }
});

Deno.test("an isolate that stops beating drops out, and its entries are deleted", async () => {
  try {
    const kv = await getKv();
    await beatIsolate("iso-a", 60_000);
    await beatIsolate("iso-b", 5);
    await setPresence(T, "q", "iso-a", 1, 0);
    await setPresence(T, "q", "iso-b", 4, 0);
    await setPresence(T, "q", "iso-never", 7, 0);
    await sleep(10);
    const counted = await countPresence(T, "q", "iso-c");
    assert.equal(counted.others, 1);
    assert.deepEqual([...counted.beats.keys()], ["iso-a"]);
    const left = await Array.fromAsync(
      kv.list({ prefix: keys.presence(T, "q") }),
    );
    assert.deepEqual(left.map((e) => e.key.at(-1)), ["iso-a"]);
  } finally {
    await closeKv();
  }
});

Deno.test("readBeats: what is left of each beat, 0 for none, past one read's 10 keys", async () => {
  try {
    const ids = Array.from({ length: 12 }, (_, i) => `iso-${i}`);
    for (const id of ids.slice(0, 11)) await beatIsolate(id, 60_000);
    const left = await readBeats(ids);
    assert.equal(left.size, 12);
    assert.ok(left.get("iso-10")! > 59_000);
    assert.equal(left.get("iso-11"), 0);
  } finally {
    await closeKv();
  }
});
