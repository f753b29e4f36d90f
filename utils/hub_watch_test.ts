import assert from "node:assert/strict";
import { type WatchChange, watchRoom } from "./hub_watch.ts";

const SEQ: Deno.KvKey = ["seq"];
const PRESENCE: Deno.KvKey = ["presence"];

/** A KV whose first `failures` watches error out at once. */
function flakyWatch(kv: Deno.Kv, failures: number) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    watch(keys: Deno.KvKey[]) {
      calls++;
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

Deno.test("a failed watch is restarted and still sees writes made meanwhile", async () => {
  const kv = await Deno.openKv(":memory:");
  const stop = new AbortController();
  const flaky = flakyWatch(kv, 2);
  const changes: WatchChange[] = [];
  const errors: unknown[] = [];
  const delays: number[] = [];
  await kv.set(SEQ, 1);
  const running = watchRoom(flaky, {
    keys: [SEQ, PRESENCE],
    signal: stop.signal,
    onChange: (change) => changes.push(change),
    onError: (error) => errors.push(error),
    retryDelayMs: (attempt) => {
      delays.push(attempt);
      return 1;
    },
  });
  try {
    await until(() => changes.length === 1, "the first notification");
    assert.equal(flaky.calls, 3);
    assert.deepEqual(delays, [1, 2], "the backoff grows while watches fail");
    assert.equal(errors.length, 2);
    assert.deepEqual(changes[0], { seq: true, presence: false, seqValue: 1 });
    await kv.set(PRESENCE, 1);
    await until(() => changes.length === 2, "the write's notification");
    assert.deepEqual(changes[1], {
      seq: false,
      presence: true,
      seqValue: 1,
    });
  } finally {
    stop.abort();
    await running;
    kv.close();
  }
});

Deno.test("a watch stream that ends is restarted; abort ends the watch", async () => {
  const kv = await Deno.openKv(":memory:");
  const stop = new AbortController();
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
  let changes = 0;
  await kv.set(SEQ, 1);
  const running = watchRoom(ending, {
    keys: [SEQ, PRESENCE],
    signal: stop.signal,
    onChange: () => changes++,
    onError: (error) => errors.push(error),
    retryDelayMs: () => 1,
  });
  try {
    await until(() => changes === 1, "the restarted watch");
    assert.equal(calls, 2);
    assert.match(String(errors[0]), /ended/);
  } finally {
    stop.abort();
    await running;
    kv.close();
  }
  assert.equal(calls, 2, "no restart after abort");
});
