import assert from "node:assert/strict";
import { closeKv } from "./db_kv.ts";
import {
  banUser,
  checkWriteAllowed,
  isBanned,
  isRoomLocked,
  listBans,
  setRoomLocked,
  unbanUser,
} from "./db_moderation.ts";
import { ApiError } from "./protocol.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const ada = { id: "u1", name: "Ada" };
const moderator = { id: "m1", name: "Mo", moderator: true };

function forbidden(message: RegExp) {
  return (err: unknown) =>
    err instanceof ApiError && err.code === "forbidden" &&
    message.test(err.message);
}

Deno.test("bans are per tenant and can be lifted", async () => {
  try {
    await banUser("demo", "u1", "m1");
    await banUser("demo", "u1", "m2");
    assert.equal(await isBanned("demo", "u1"), true);
    assert.equal(await isBanned("acme", "u1"), false);
    const bans = await listBans("demo");
    assert.equal(bans.length, 1);
    assert.equal(bans[0].by, "m1", "banning twice keeps the first ban");
    await assert.rejects(
      checkWriteAllowed("demo", "room", ada),
      forbidden(/banned/),
    );
    await unbanUser("demo", "u1");
    assert.equal(await isBanned("demo", "u1"), false);
    assert.equal((await checkWriteAllowed("demo", "room", ada)).length, 2);
  } finally {
    await closeKv();
  }
});

Deno.test("a locked room refuses everyone's writes but a moderator's", async () => {
  try {
    await setRoomLocked("demo", "room", true, "m1");
    assert.equal(await isRoomLocked("demo", "room"), true);
    assert.equal(await isRoomLocked("demo", "other-room"), false);
    await assert.rejects(
      checkWriteAllowed("demo", "room", ada),
      forbidden(/locked/),
    );
    await checkWriteAllowed("demo", "room", moderator);
    await checkWriteAllowed("demo", "other-room", ada);
    await setRoomLocked("demo", "room", false, "m1");
    await checkWriteAllowed("demo", "room", ada);
  } finally {
    await closeKv();
  }
});
