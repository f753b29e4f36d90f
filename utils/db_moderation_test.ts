import assert from "node:assert/strict";
import { closeKv } from "./db_kv.ts";
import {
  banUser,
  checkWriteAllowed,
  isBanned,
  isRoomLocked,
  listBans,
  listRoomLocks,
  setRoomLocked,
  unbanUser,
} from "./db_moderation.ts";
import { ApiError } from "./validation.ts";

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

Deno.test("locked rooms are listed per tenant with their ids", async () => {
  try {
    await setRoomLocked("demo", "room <b>", true, "m1");
    await setRoomLocked("demo", "room 2", true, "m1");
    await setRoomLocked("acme", "room 3", true, "m1");
    const locks = await listRoomLocks("demo");
    assert.deepEqual(locks.map((lock) => lock.urlId).sort(), [
      "room 2",
      "room <b>",
    ]);
    await setRoomLocked("demo", "room 2", false, "m1");
    assert.deepEqual((await listRoomLocks("demo")).map((l) => l.urlId), [
      "room <b>",
    ]);
  } finally {
    await closeKv();
  }
});
