import assert from "node:assert/strict";
import { createChat } from "./db_chats.ts";
import { closeKv } from "./db.ts";
import { loadImageRoom } from "./image_room.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const ada = { id: "u-ada", name: "Ada" };

Deno.test("loadImageRoom: the room's markers and seq, without its text chats", async () => {
  try {
    const urlId = `room-${crypto.randomUUID()}`;
    assert.deepEqual(await loadImageRoom("demo", urlId), { seq: 0, chats: [] });
    const { chat } = await createChat("demo", {
      urlId,
      src: "/a.png",
      x: 10,
      y: 20,
      text: "Look here",
      broadcastId: "b1",
    }, ada);
    await createChat("demo", {
      urlId,
      anchor: { quote: "word", prefix: "", suffix: "", start: 0, end: 4 },
      text: "And here",
      broadcastId: "b2",
    }, ada);
    assert.deepEqual(await loadImageRoom("demo", urlId), {
      seq: 2,
      chats: [chat],
    });
  } finally {
    await closeKv();
  }
});
