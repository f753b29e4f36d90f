import assert from "node:assert/strict";
import { closeKv, getKv, keys } from "./db_kv.ts";
import {
  commentKey,
  newId,
  pooledRandom,
  roomOfChat,
} from "./db_chat_records.ts";
import { addComment, createChat } from "./db_chats.ts";
import { ApiError } from "./validation.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const ada = { id: "u1", name: "Ada" };
const notFound = (err: unknown) =>
  err instanceof ApiError && err.code === "not_found";

Deno.test("a chat's room is read once, and a write still finds it gone", async () => {
  try {
    const { chat } = await createChat("demo", {
      urlId: "room",
      src: "/a.png",
      x: 1,
      y: 2,
      text: "first",
      broadcastId: "b",
    }, ada);
    assert.equal(await roomOfChat("demo", chat.id), "room");
    await assert.rejects(roomOfChat("demo", "no-such-chat"), notFound);
    await assert.rejects(roomOfChat("demo", "x".repeat(65)), notFound);
    const kv = await getKv();
    await kv.delete(keys.chat("demo", chat.id));
    assert.equal(await roomOfChat("demo", chat.id), "room", "cached");
    const seq = await kv.get(keys.roomSeq("demo", "room"));
    await assert.rejects(
      addComment("demo", chat.id, {
        text: "late",
        parentId: null,
        broadcastId: "b",
      }, ada),
      notFound,
    );
    assert.equal(
      (await kv.get(keys.roomSeq("demo", "room"))).versionstamp,
      seq.versionstamp,
      "the refused write changed nothing",
    );
  } finally {
    await closeKv();
  }
});

Deno.test("an id no comment can have has no key", () => {
  assert.deepEqual(
    commentKey("demo", "c", "k"),
    keys.comment("demo", "c", "k"),
  );
  assert.equal(commentKey("demo", "c", "k".repeat(65)), null);
});

Deno.test("ids are ULIDs, rising and unique", () => {
  const ids = Array.from({ length: 2_000 }, () => newId());
  for (const id of ids) assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});

Deno.test("the ids' random fractions are spread over [0, 1)", () => {
  const draws = Array.from({ length: 20_000 }, () => pooledRandom());
  assert.ok(draws.every((x) => x >= 0 && x < 1));
  // Every byte value turns up, and no long run repeats the pool.
  assert.equal(new Set(draws).size, 256);
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  assert.ok(Math.abs(mean - 0.498) < 0.01, `mean ${mean}`);
  assert.notDeepEqual(draws.slice(0, 256), draws.slice(256, 512));
});
