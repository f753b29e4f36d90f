import assert from "node:assert/strict";
import { RoomWatches, type WatchChange } from "./hub_watch.ts";

const seqKey = (room: number): Deno.KvKey => ["seq", room];
const presenceKey = (room: number): Deno.KvKey => ["presence", room];

/** A KV whose first `failures` watches error out at once; counts watches. */
function countingWatch(kv: Deno.Kv, failures = 0) {
  let calls = 0;
  const sizes: number[] = [];
  return {
    get calls() {
      return calls;
    },
    sizes,
    watch(keys: Deno.KvKey[]) {
      calls++;
      sizes.push(keys.length);
      if (calls <= failures) {
        return new ReadableStream<Deno.KvEntryMaybe<unknown>[]>({
          start: (controller) => controller.error(new Error("watch failed")),
        });
      }
      return kv.watch(keys);
    },
  };
}

async function until(predicate: () => boolean, what: string) {
  for (let i = 0; i < 400 && !predicate(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok(predicate(), `timed out waiting for ${what}`);
}

/** Adds room `n`, recording its changes in `changes[n]`. */
function watchRoom(
  watches: RoomWatches,
  n: number,
  changes: WatchChange[][],
): void {
  changes[n] = [];
  watches.add(`r${n}`, {
    seqKey: seqKey(n),
    presenceKey: presenceKey(n),
    onChange: (change) => changes[n].push(change),
  });
}

Deno.test("a failed watch is restarted and still sees writes made meanwhile", async () => {
  const kv = await Deno.openKv(":memory:");
  const flaky = countingWatch(kv, 2);
  const errors: unknown[] = [];
  const delays: number[] = [];
  const watches = new RoomWatches({
    kv: () => Promise.resolve(flaky),
    onError: (error) => errors.push(error),
    retryDelayMs: (attempt) => {
      delays.push(attempt);
      return 1;
    },
  });
  const changes: WatchChange[][] = [];
  await kv.set(seqKey(0), 1);
  watchRoom(watches, 0, changes);
  try {
    await until(() => changes[0].length === 1, "the first notification");
    assert.equal(flaky.calls, 3);
    assert.deepEqual(delays, [1, 2], "the backoff grows while watches fail");
    assert.equal(errors.length, 2);
    assert.deepEqual(changes[0][0], {
      seq: true,
      seqValue: 1,
      presence: false,
    });
    await kv.set(presenceKey(0), 1);
    await until(() => changes[0].length === 2, "the write's notification");
    assert.deepEqual(changes[0][1], {
      seq: false,
      seqValue: 1,
      presence: true,
    });
  } finally {
    watches.stopAll();
    await until(() => watches.watches === 0, "the watches to stop");
    kv.close();
  }
});

Deno.test("a watch stream that ends is restarted", async () => {
  const kv = await Deno.openKv(":memory:");
  let calls = 0;
  const ending = {
    watch(keys: Deno.KvKey[]) {
      calls++;
      return calls === 1
        ? new ReadableStream<Deno.KvEntryMaybe<unknown>[]>({
          start: (controller) => controller.close(),
        })
        : kv.watch(keys);
    },
  };
  const errors: unknown[] = [];
  const watches = new RoomWatches({
    kv: () => Promise.resolve(ending),
    onError: (error) => errors.push(error),
    retryDelayMs: () => 1,
  });
  const changes: WatchChange[][] = [];
  await kv.set(seqKey(0), 1);
  watchRoom(watches, 0, changes);
  try {
    await until(() => changes[0].length === 1, "the restarted watch");
    assert.equal(calls, 2);
    assert.match(String(errors[0]), /ended/);
  } finally {
    watches.stopAll();
    await until(() => watches.watches === 0, "the watches to stop");
    kv.close();
  }
});

Deno.test("five rooms share a watch; each hears of its own entries only", async () => {
  const kv = await Deno.openKv(":memory:");
  const counting = countingWatch(kv);
  const errors: unknown[] = [];
  const watches = new RoomWatches({
    kv: () => Promise.resolve(counting),
    onError: (error) => errors.push(error),
  });
  const changes: WatchChange[][] = [];
  try {
    for (let n = 0; n < 6; n++) await kv.set(seqKey(n), n);
    for (let n = 0; n < 6; n++) watchRoom(watches, n, changes);
    assert.equal(watches.watches, 2);
    // Every room's first notification reports its entries' state once.
    await until(() => changes.every((c) => c.length === 1), "first reports");
    assert.deepEqual(counting.sizes.sort(), [10, 2]);
    await kv.set(seqKey(3), 7);
    await until(() => changes[3].length === 2, "room 3's write");
    assert.deepEqual(changes[3][1], {
      seq: true,
      seqValue: 7,
      presence: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(changes.map((c) => c.length), [1, 1, 1, 2, 1, 1]);
    assert.deepEqual(changes.map((c) => c[0].seqValue), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(errors, []);
  } finally {
    watches.stopAll();
    await until(() => watches.watches === 0, "the watches to stop");
    kv.close();
  }
});

Deno.test("a room joining or leaving a shared watch loses no other room's write", async () => {
  const kv = await Deno.openKv(":memory:");
  const counting = countingWatch(kv);
  const watches = new RoomWatches({
    kv: () => Promise.resolve(counting),
    onError: (error) => assert.fail(String(error)),
  });
  const changes: WatchChange[][] = [];
  try {
    await kv.set(seqKey(0), 0);
    await kv.set(seqKey(1), 0);
    watchRoom(watches, 0, changes);
    await until(() => changes[0].length === 1, "room 0's first report");
    // Written while room 1's arrival restarts the watch.
    const write = kv.set(seqKey(0), 1);
    watchRoom(watches, 1, changes);
    await write;
    await until(() => changes[0].length === 2, "room 0's write");
    await until(() => changes[1].length === 1, "room 1's first report");
    watches.remove("r1");
    await kv.set(seqKey(0), 2);
    await kv.set(seqKey(1), 2);
    await until(() => changes[0].length === 3, "room 0's second write");
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Each write reported once; room 1 hears nothing once removed.
    assert.deepEqual(changes[0].map((c) => c.seqValue), [0, 1, 2]);
    assert.equal(changes[1].length, 1);
    assert.equal(counting.calls, 3, "one watch per set of rooms");
  } finally {
    watches.stopAll();
    await until(() => watches.watches === 0, "the watches to stop");
    kv.close();
  }
});
