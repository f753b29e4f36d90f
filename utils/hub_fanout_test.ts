import assert from "node:assert/strict";
import { Hub, type HubMeter } from "./hub.ts";
import { CLOSE_RESYNC, type ServerMessage } from "./protocol.ts";
import {
  FakeSocket,
  FakeStore,
  FakeTimers,
  TENANT,
  URL_ID,
} from "../tests/_hub_fakes.ts";

/** A meter that adds up what the hub reports. */
class CountingMeter {
  messages = 0;
  bytes = 0;
  viewerCount = 0;
  readonly meter: HubMeter = {
    delivered: (_tenant, _urlId, messages, bytes) => {
      this.messages += messages;
      this.bytes += bytes;
    },
    viewers: (_tenant, delta) => this.viewerCount += delta,
  };
}

async function withFanout(
  fn: (ctx: {
    store: FakeStore;
    hub: Hub;
    timers: FakeTimers;
    meter: CountingMeter;
  }) => Promise<void>,
  maxBufferedBytes?: number,
) {
  const kv = await Deno.openKv(":memory:");
  const timers = new FakeTimers();
  const store = new FakeStore(kv, () => timers.now());
  const meter = new CountingMeter();
  const hub = new Hub({
    store,
    timers,
    maxBufferedBytes,
    meter: meter.meter,
    log: () => {},
  });
  try {
    await fn({ store, hub, timers, meter });
  } finally {
    await hub.closeAll();
    kv.close();
  }
}

function join(hub: Hub): FakeSocket {
  const socket = new FakeSocket();
  hub.join(socket, { tenant: TENANT, urlId: URL_ID, since: null });
  return socket;
}

/** Lets batching windows end, one after another, until `done` holds. */
async function runUntil(timers: FakeTimers, done: () => boolean) {
  for (let i = 0; !done(); i++) {
    assert.ok(i < 1_000, "timed out");
    timers.advanceTo(timers.now() + 10);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const seqs = (messages: ServerMessage[]) =>
  messages.flatMap((m) => m.type !== "sync" && "seq" in m ? [m.seq] : []);

Deno.test("a quiet room's event goes out alone, before the clock moves", async () => {
  await withFanout(async ({ store, hub, timers }) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    timers.advanceTo(1_000);
    const framesBefore = socket.frames.length;
    await store.createChat();
    // The clock stands still from here on: no batching timer can fire.
    await socket.waitFor((m) => seqs(m).length === 1);
    assert.equal(socket.frames.length, framesBefore + 1);
    assert.equal(Array.isArray(JSON.parse(socket.frames.at(-1)!)), false);
  });
});

Deno.test("a burst reaches a socket in few array frames, in order", async () => {
  await withFanout(async ({ store, hub, timers }) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    timers.advanceTo(1_000);
    const framesBefore = socket.frames.length;
    for (let i = 0; i < 200; i++) await store.createChat();
    await runUntil(timers, () => seqs(socket.messages()).length === 200);
    const expected = Array.from({ length: 200 }, (_, i) => i + 1);
    assert.deepEqual(seqs(socket.messages()), expected);
    const frames = socket.frames.length - framesBefore;
    assert.ok(frames <= 20, `${frames} frames for 200 events`);
    assert.ok(socket.frames.slice(framesBefore).some((f) => f.startsWith("[")));
  });
});

Deno.test("a socket that stops reading is closed with 4000 and leaves; others go on", async () => {
  await withFanout(async ({ store, hub, timers }) => {
    const slow = join(hub);
    const fast = join(hub);
    await slow.waitFor((m) => m.length > 0);
    await fast.waitFor((m) => m.length > 0);
    slow.bufferedAmount = 5_000;
    await store.createChat();
    await store.createChat();
    await runUntil(timers, () => seqs(fast.messages()).length === 2);
    assert.equal(slow.closeCode, CLOSE_RESYNC);
    assert.deepEqual(seqs(slow.messages()), []);
    assert.equal(hub.stats().sockets, 1);
    // Below a sync's size: the buffer is read before the first event.
  }, 10);
});

Deno.test("the meter counts each message and byte sent, and viewers", async () => {
  await withFanout(async ({ store, hub, timers, meter }) => {
    const sockets = [join(hub), join(hub)];
    for (const socket of sockets) await socket.waitFor((m) => m.length > 0);
    assert.equal(meter.viewerCount, 2);
    for (let i = 0; i < 5; i++) await store.createChat();
    await runUntil(
      timers,
      () => sockets.every((s) => seqs(s.messages()).length === 5),
    );
    const frames = sockets.flatMap((s) => s.frames);
    const messages = sockets.flatMap((s) => s.messages());
    const encoder = new TextEncoder();
    assert.equal(meter.messages, messages.length);
    assert.equal(
      meter.bytes,
      frames.reduce((sum, f) => sum + encoder.encode(f).length, 0),
    );
    sockets[0].close();
    assert.equal(meter.viewerCount, 1);
  });
});
