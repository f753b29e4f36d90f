import assert from "node:assert/strict";
import { closeKv, getKv, keys } from "./db_kv.ts";
import { listEventsSince } from "./db_event_log.ts";
import {
  onRoomCommit,
  type RoomMutations,
  writeRoom,
} from "./db_room_write.ts";
import { type RoomEvent } from "./protocol.ts";
import { ApiError } from "./validation.ts";
import { storedMarker } from "../tests/_api.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const T = "demo";
const COUNTER: Deno.KvKey = ["test_counter"];

/** A write that adds 1 to a counter it reads, refused when `refuse`. */
function bump(urlId: string, id: string, refuse = false) {
  return writeRoom(T, urlId, ([counter]) => {
    if (refuse) throw new ApiError("forbidden", "Refused.");
    const next = ((counter.value as number | null) ?? 0) + 1;
    return {
      mutate: (op: RoomMutations) => {
        op.set(COUNTER, next).set(["test_item", id], next);
      },
      event: {
        type: "new-image-chat" as const,
        broadcastId: id,
        chat: storedMarker(id, urlId),
      },
      result: { next },
    };
  }, [COUNTER]);
}

Deno.test("queued writes see each other's changes and get consecutive seqs", async () => {
  const committed: RoomEvent[] = [];
  const stop = onRoomCommit((_tenant, _urlId, events) =>
    committed.push(...events)
  );
  try {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => bump("hot", `w${i}`)),
    );
    assert.deepEqual(
      results.map((r) => [r.seq, r.next]),
      Array.from({ length: 40 }, (_, i) => [i + 1, i + 1]),
      "queue order, no lost update",
    );
    const kv = await getKv();
    assert.equal((await kv.get(COUNTER)).value, 40);
    const events = await listEventsSince(T, "hot", 0);
    assert.deepEqual(
      events?.map((e) => [e.seq, e.broadcastId]),
      Array.from({ length: 40 }, (_, i) => [i + 1, `w${i}`]),
    );
    assert.deepEqual(committed, events, "listeners get the stored events");
  } finally {
    stop();
    await closeKv();
  }
});

Deno.test("a refused write among queued ones changes nothing", async () => {
  try {
    const outcomes = await Promise.allSettled([
      bump("mixed", "a"),
      bump("mixed", "b", true),
      bump("mixed", "c"),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), [
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    const refused = (outcomes[1] as PromiseRejectedResult).reason;
    assert.ok(refused instanceof ApiError && refused.code === "forbidden");
    const [a, , c] = outcomes as PromiseFulfilledResult<{ seq: number }>[];
    assert.deepEqual([a.value.seq, c.value.seq], [1, 2]);
    const kv = await getKv();
    assert.equal((await kv.get(["test_item", "b"])).versionstamp, null);
    assert.equal((await kv.get(COUNTER)).value, 2);
  } finally {
    await closeKv();
  }
});

Deno.test("writes too big to commit together are committed one by one", async () => {
  try {
    // 600 KiB each: one fits an atomic operation (800 KiB), two do not.
    const chunk = "x".repeat(60 * 1024);
    const big = (id: string) =>
      writeRoom(T, "big", () => ({
        mutate: (op: RoomMutations) => {
          for (let i = 0; i < 10; i++) op.set(["test_big", id, i], chunk);
        },
        event: {
          type: "new-image-chat" as const,
          broadcastId: id,
          chat: storedMarker(id, "big"),
        },
        result: {},
      }));
    const results = await Promise.all([big("a"), big("b"), big("c")]);
    assert.deepEqual(results.map((r) => r.seq), [1, 2, 3]);
    const kv = await getKv();
    const stored = await Array.fromAsync(kv.list({ prefix: ["test_big"] }));
    assert.equal(stored.length, 30);
  } finally {
    await closeKv();
  }
});

Deno.test("a write reads at most 9 keys besides the seq", () => {
  const reads = Array.from({ length: 10 }, (_, i) => keys.chat(T, `c${i}`));
  assert.throws(
    () =>
      writeRoom(T, "r", () => {
        throw new Error("never planned");
      }, reads),
    RangeError,
  );
});
