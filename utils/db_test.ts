import assert from "node:assert/strict";
import { getKv, keys } from "./db_kv.ts";
import {
  closeKv,
  eventLogOptions,
  getRoomSeq,
  getRoomSnapshot,
  listEventsSince,
  pruneEvents,
  type RoomMutations,
  roomSeqKey,
  writeRoom,
} from "./db.ts";
import { storedMarker } from "../tests/_api.ts";
import { ApiError } from "./validation.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const T = "demo";

/** Stores a marker through the room write, as the chat store does. */
function addMarker(urlId: string, id: string) {
  const chat = storedMarker(id, urlId);
  return writeRoom(T, urlId, () =>
    Promise.resolve({
      mutate: (op: RoomMutations) => op.set(keys.roomChat(T, urlId, id), chat),
      event: { type: "new-image-chat" as const, broadcastId: "b-" + id, chat },
      result: { chat },
    }));
}

Deno.test("a new room has seq 0, no events and an empty snapshot", async () => {
  try {
    assert.equal(await getRoomSeq(T, "fresh"), 0);
    assert.deepEqual(await listEventsSince(T, "fresh", 0), []);
    assert.deepEqual(await getRoomSnapshot(T, "fresh"), { seq: 0, chats: [] });
  } finally {
    await closeKv();
  }
});

Deno.test("room writes get consecutive seqs and log their events", async () => {
  try {
    const first = await addMarker("room", "c1");
    const second = await addMarker("room", "c2");
    assert.equal(first.seq, 1);
    assert.equal(second.seq, 2);
    assert.equal(await getRoomSeq(T, "room"), 2);
    const events = await listEventsSince(T, "room", 0);
    assert.deepEqual(events?.map((e) => [e.seq, e.type, e.broadcastId]), [
      [1, "new-image-chat", "b-c1"],
      [2, "new-image-chat", "b-c2"],
    ]);
    assert.equal(events?.[0].urlId, "room");
    assert.deepEqual(
      (await listEventsSince(T, "room", 1))?.map((e) => e.seq),
      [2],
    );
    // A client ahead of the room cannot be caught up with events.
    assert.equal(await listEventsSince(T, "room", 5), null);
    const snapshot = await getRoomSnapshot(T, "room");
    assert.equal(snapshot.seq, 2);
    assert.deepEqual(snapshot.chats.map((c) => c.id).sort(), ["c1", "c2"]);
    // Rooms are separate.
    assert.equal(await getRoomSeq(T, "other"), 0);
  } finally {
    await closeKv();
  }
});

Deno.test("concurrent room writes never share a seq", async () => {
  try {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => addMarker("busy", `c${i}`)),
    );
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal((await listEventsSince(T, "busy", 0))?.length, 30);
  } finally {
    await closeKv();
  }
});

Deno.test("a refused room write stores nothing", async () => {
  try {
    await assert.rejects(
      writeRoom(T, "room", () => {
        throw new ApiError("not_found", "No such chat.");
      }),
      (err) => err instanceof ApiError && err.code === "not_found",
    );
    assert.equal(await getRoomSeq(T, "room"), 0);
    const kv = await getKv();
    assert.equal((await Array.fromAsync(kv.list({ prefix: [] }))).length, 0);
  } finally {
    await closeKv();
  }
});

Deno.test("pruned events turn a resume into a gap", async () => {
  try {
    for (let i = 0; i < 12; i++) await addMarker("log", `c${i}`);
    const dropped = await pruneEvents(T, "log", { minEvents: 5, minAgeMs: 0 });
    assert.equal(dropped, 7);
    assert.equal(await listEventsSince(T, "log", 0), null);
    assert.equal(await listEventsSince(T, "log", 6), null);
    assert.deepEqual(
      (await listEventsSince(T, "log", 7))?.map((e) => e.seq),
      [8, 9, 10, 11, 12],
    );
    // Young events stay whatever their number.
    const kept = await pruneEvents(T, "log", {
      minEvents: 0,
      minAgeMs: 60_000,
    });
    assert.equal(kept, 0);
  } finally {
    await closeKv();
  }
});

Deno.test("log retention comes from the environment", () => {
  const env = (vars: Record<string, string>) => ({
    get: (name: string) => vars[name],
  });
  assert.deepEqual(eventLogOptions(env({})), {
    minEvents: 1000,
    minAgeMs: 86_400_000,
  });
  assert.deepEqual(
    eventLogOptions(env({
      TACK_EVENT_LOG_MIN_EVENTS: "5",
      TACK_EVENT_LOG_MIN_AGE_MS: "0",
    })),
    { minEvents: 5, minAgeMs: 0 },
  );
  assert.deepEqual(
    eventLogOptions(env({
      TACK_EVENT_LOG_MIN_EVENTS: "-1",
      TACK_EVENT_LOG_MIN_AGE_MS: "soon",
    })),
    { minEvents: 1000, minAgeMs: 86_400_000 },
  );
});

Deno.test("long non-Latin room ids fit in keys", async () => {
  try {
    const urlId = "日本語".repeat(341);
    await addMarker(urlId, "c1");
    assert.equal(await getRoomSeq(T, urlId), 1);
    assert.equal((await getRoomSnapshot(T, urlId)).chats[0].urlId, urlId);
    assert.notDeepEqual(roomSeqKey(T, urlId), roomSeqKey(T, urlId + "x"));
  } finally {
    await closeKv();
  }
});
