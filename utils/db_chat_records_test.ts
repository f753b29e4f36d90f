import assert from "node:assert/strict";
import { closeKv, getKv, keys } from "./db_kv.ts";
import { commentKey, roomOfChat } from "./db_chat_records.ts";
import { addComment, createChat } from "./db_chats.ts";
import { ApiError } from "./protocol.ts";

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
