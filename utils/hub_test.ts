import assert from "node:assert/strict";
import { Hub, type HubOptions } from "./hub.ts";
import type { RoomEvent, ServerMessage, SyncMessage } from "./protocol.ts";
import {
  FakeSocket,
  FakeStore,
  FakeTimers,
  TENANT,
  URL_ID,
} from "../tests/_hub_fakes.ts";

function seqsOf(messages: ServerMessage[]): number[] {
  return messages.flatMap((m) =>
    "seq" in m && m.type !== "sync" ? [m.seq] : []
  );
}

function lastCount(messages: ServerMessage[]): number | null {
  const users = messages.filter((m) => m.type === "users");
  const last = users[users.length - 1];
  return last?.type === "users" ? last.count : null;
}

function syncOf(messages: ServerMessage[]): SyncMessage {
  const sync = messages.find((m): m is SyncMessage => m.type === "sync");
  assert.ok(sync, "no sync message");
  return sync;
}

/** Runs `fn` with a fresh store and hub, and always lets go of both. */
async function withHub(
  fn: (store: FakeStore, hub: Hub, errors: unknown[]) => Promise<void>,
  options: HubOptions = {},
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  const timers = options.timers;
  const store = new FakeStore(kv, timers ? () => timers.now() : Date.now);
  const errors: unknown[] = [];
  const hub = new Hub({
    store,
    isolateId: "iso-a",
    onError: (error) => errors.push(error),
    log: () => {},
    ...options,
  });
  try {
    await fn(store, hub, errors);
  } finally {
    await hub.closeAll();
    kv.close();
  }
}

function join(hub: Hub, since: number | null = null): FakeSocket {
  const socket = new FakeSocket();
  hub.join(socket, { tenant: TENANT, urlId: URL_ID, since });
  return socket;
}

Deno.test("a new socket gets a snapshot sync first", async () => {
  await withHub(async (store, hub) => {
    await store.createChat();
    await store.createChat();
    const socket = join(hub);
    const [sync] = await socket.waitFor((m) => m.length >= 1);
    assert.deepEqual(sync, {
      type: "sync",
      urlId: URL_ID,
      seq: 2,
      recovered: false,
      users: 1,
      chats: [...store.chats.values()],
    });
  });
});

Deno.test("a socket that is still connecting is synced once it opens", async () => {
  await withHub(async (_store, hub) => {
    const socket = new FakeSocket();
    socket.readyState = WebSocket.CONNECTING;
    hub.join(socket, { tenant: TENANT, urlId: URL_ID, since: null });
    assert.deepEqual(hub.stats(), { rooms: 0, sockets: 0, bufferedBytes: 0 });
    socket.open();
    await socket.waitFor((m) => m.some((x) => x.type === "sync"));
    assert.deepEqual(hub.stats(), { rooms: 1, sockets: 1, bufferedBytes: 0 });
  });
});

Deno.test("events reach every socket in seq order, from the watch alone", async () => {
  await withHub(async (store, hub) => {
    const sockets = [join(hub), join(hub), join(hub)];
    for (const s of sockets) await s.waitFor((m) => m.length > 0);
    const written: RoomEvent[] = [];
    for (let i = 0; i < 5; i++) written.push(await store.createChat(`b${i}`));
    for (const socket of sockets) {
      const messages = await socket.waitFor((m) => seqsOf(m).length === 5);
      assert.deepEqual(
        messages.filter((m) => m.type === "new-image-chat"),
        written,
      );
    }
  });
});

Deno.test("poke fans out at once and batches what is ready together", async () => {
  await withHub(async (store, hub) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    const before = socket.frames.length;
    // Three commits before anyone looks: one pass sends them as one frame.
    for (let i = 0; i < 3; i++) {
      await store.createChat(`b${i}`, { notify: false });
    }
    hub.poke(TENANT, URL_ID);
    await socket.waitFor((m) => seqsOf(m).length === 3);
    const frames = socket.frames.slice(before).map((f) => JSON.parse(f));
    assert.equal(frames.length, 1);
    assert.equal(frames[0].length, 3);
    assert.deepEqual(seqsOf(socket.messages()), [1, 2, 3]);
  });
});

Deno.test("a socket synced ahead of the others gets nothing twice", async () => {
  await withHub(async (store, hub) => {
    const early = join(hub);
    await early.waitFor((m) => m.length > 0);
    // Committed, but not yet fanned out when the late socket takes its
    // snapshot, which already includes them.
    for (let i = 0; i < 3; i++) {
      await store.createChat(`b${i}`, { notify: false });
    }
    const late = join(hub);
    assert.equal(syncOf(await late.waitFor((m) => m.length > 0)).seq, 3);
    await store.createChat("b3");
    await early.waitFor((m) => seqsOf(m).length >= 4);
    await late.waitFor((m) => seqsOf(m).length >= 1);
    assert.deepEqual(seqsOf(early.messages()), [1, 2, 3, 4]);
    assert.deepEqual(seqsOf(late.messages()), [4]);
  });
});

Deno.test("since within the log recovers exactly the missed events", async () => {
  await withHub(async (store, hub) => {
    for (let i = 0; i < 7; i++) await store.createChat();
    const socket = join(hub, 3);
    const messages = await socket.waitFor((m) => seqsOf(m).length === 4);
    assert.deepEqual(messages[0], {
      type: "sync",
      urlId: URL_ID,
      seq: 7,
      recovered: true,
      users: 1,
    });
    assert.deepEqual(seqsOf(messages), [4, 5, 6, 7]);
    // Later events continue from there, with nothing repeated.
    await store.createChat();
    const after = await socket.waitFor((m) => seqsOf(m).length === 5);
    assert.deepEqual(seqsOf(after), [4, 5, 6, 7, 8]);
  });
});

Deno.test("since at the current seq recovers with no events", async () => {
  await withHub(async (store, hub) => {
    await store.createChat();
    const socket = join(hub, 1);
    const sync = syncOf(await socket.waitFor((m) => m.length > 0));
    assert.equal(sync.recovered, true);
    assert.equal(sync.seq, 1);
    assert.equal(sync.chats, undefined);
  });
});

Deno.test("since older than the log gets a snapshot", async () => {
  await withHub(async (store, hub) => {
    for (let i = 0; i < 6; i++) await store.createChat();
    store.logFloor = 4;
    const socket = join(hub, 2);
    const sync = syncOf(await socket.waitFor((m) => m.length > 0));
    assert.equal(sync.recovered, false);
    assert.equal(sync.seq, 6);
    assert.equal(sync.chats?.length, 6);
    assert.deepEqual(seqsOf(socket.messages()), []);
  });
});

Deno.test("viewers get the users count as others join and leave", async () => {
  await withHub(async (_store, hub) => {
    const first = join(hub);
    assert.equal(syncOf(await first.waitFor((m) => m.length > 0)).users, 1);
    const second = join(hub);
    assert.equal(syncOf(await second.waitFor((m) => m.length > 0)).users, 2);
    await first.waitFor((m) => lastCount(m) === 2);
    second.close();
    await first.waitFor((m) => lastCount(m) === 1);
    assert.deepEqual(hub.stats(), { rooms: 1, sockets: 1, bufferedBytes: 0 });
  });
});

Deno.test("two hubs on one store see each other's viewers and events", async () => {
  await withHub(async (store, hubA) => {
    const hubB = new Hub({ store, isolateId: "iso-b" });
    try {
      const onA = join(hubA);
      await onA.waitFor((m) => m.length > 0);
      const onB = join(hubB);
      assert.equal(syncOf(await onB.waitFor((m) => m.length > 0)).users, 2);
      // A learns of B's viewer only through the watched presence entry.
      await onA.waitFor((m) => lastCount(m) === 2);
      await store.createChat();
      await onA.waitFor((m) => seqsOf(m).length === 1);
      await onB.waitFor((m) => seqsOf(m).length === 1);
    } finally {
      await hubB.closeAll();
    }
  });
});

Deno.test("the last socket leaving lets go of the room and its presence", async () => {
  await withHub(async (store, hub) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    assert.equal(store.presence.get("iso-a"), 1);
    socket.close();
    await hub.closeAll();
    assert.deepEqual(hub.stats(), { rooms: 0, sockets: 0, bufferedBytes: 0 });
    assert.equal(store.presence.has("iso-a"), false);
  });
});

Deno.test("closeAll closes sockets with the given code", async () => {
  await withHub(async (_store, hub) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    await hub.closeAll(1012, "restarting");
    assert.equal(socket.closeCode, 1012);
    assert.deepEqual(hub.stats(), { rooms: 0, sockets: 0, bufferedBytes: 0 });
  });
});

Deno.test("joined sockets answer pings and close on oversized frames", async () => {
  await withHub(async (_store, hub) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    socket.receive(JSON.stringify({ type: "ping" }));
    assert.deepEqual(JSON.parse(socket.frames.at(-1)!), { type: "pong" });
    socket.receive(JSON.stringify({ type: "ping", pad: "é".repeat(40_000) }));
    assert.equal(socket.closeCode, 1009);
  });
});

Deno.test("a socket that closed without a close event is skipped", async () => {
  await withHub(async (store, hub) => {
    const gone = join(hub);
    const live = join(hub);
    await gone.waitFor((m) => m.length > 0);
    await live.waitFor((m) => m.length > 0);
    gone.readyState = WebSocket.CLOSED;
    await store.createChat();
    await live.waitFor((m) => seqsOf(m).length === 1);
    assert.deepEqual(seqsOf(gone.messages()), []);
  });
});

Deno.test("a failing presence store still lets sockets sync and get events", async () => {
  await withHub(async (store, hub, errors) => {
    const locked = new Error("database is locked");
    store.setPresence = () => Promise.reject(locked);
    const socket = join(hub);
    const sync = syncOf(await socket.waitFor((m) => m.length > 0));
    assert.equal(sync.recovered, false);
    await store.createChat();
    await socket.waitFor((m) => seqsOf(m).length === 1);
    assert.equal(errors[0], locked);
  });
});

Deno.test("a socket whose sync cannot be loaded is closed to retry", async () => {
  await withHub(async (store, hub, errors) => {
    const unavailable = new Error("unavailable");
    store.getRoomSnapshot = () => Promise.reject(unavailable);
    const socket = join(hub);
    await socket.waitFor(() => socket.closeCode !== null);
    assert.equal(socket.closeCode, 1011);
    assert.deepEqual(socket.messages(), []);
    assert.deepEqual(errors, [unavailable]);
  });
});

Deno.test("viewers of a crashed isolate drop out within 30 s", async () => {
  const timers = new FakeTimers();
  await withHub(async (store, hub) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    /** Runs the timers due by `time` and lets what they started settle. */
    const advanceTo = async (time: number) => {
      timers.advanceTo(time);
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    await advanceTo(10_001);
    // Another isolate, with the default TTL, gets two viewers and then
    // crashes right after its first beat: the worst case, its beat lasts a
    // whole TTL. Its writes and beats stop; its entry stays.
    let crashed = false;
    const crashable = new Proxy(store, {
      get: (target, name: keyof FakeStore) =>
        (name === "setPresence" || name === "beatIsolate") && crashed
          ? () => Promise.resolve()
          : typeof target[name] === "function"
          ? (target[name] as (...args: unknown[]) => unknown).bind(target)
          : target[name],
    });
    const other = new Hub({
      store: crashable,
      isolateId: "iso-b",
      timers,
      log: () => {},
    });
    join(other);
    join(other);
    await socket.waitFor((m) => lastCount(m) === 3);
    crashed = true;
    const crashedAt = timers.now();
    await advanceTo(20_000);
    await advanceTo(30_000);
    assert.equal(lastCount(socket.messages()), 3, "still within its beat");
    // This isolate's first heartbeat past the crashed one's beat, within
    // 30 s of the crash.
    const lastBeat = 40_000;
    assert.ok(lastBeat <= crashedAt + 30_000);
    await advanceTo(lastBeat);
    // The fake clock stands still from here, so only this heartbeat's
    // check can bring the count down: waiting for it cannot pass late.
    await socket.waitFor((m) => lastCount(m) === 1);
    await other.closeAll();
  }, { timers });
});

Deno.test("the heartbeat beats for this isolate, and no room is rewritten for it", async () => {
  await withHub(async (store, hub) => {
    const socket = join(hub);
    await socket.waitFor((m) => m.length > 0);
    const writes = store.presenceVisible.length;
    const beats = store.beatCalls;
    await socket.waitFor(() => store.beatCalls >= beats + 3);
    assert.equal(store.presenceVisible.length, writes);
    assert.ok(store.beatLeft("iso-a") > 0);
  }, { heartbeatMs: 20 });
});

Deno.test("sockets joining at once share one read of the log", async () => {
  await withHub(async (store, hub) => {
    for (let i = 0; i < 5; i++) await store.createChat();
    const reads: number[] = [];
    const listEventsSince = store.listEventsSince.bind(store);
    store.listEventsSince = (tenant, urlId, since) => {
      reads.push(since);
      return listEventsSince(tenant, urlId, since);
    };
    const [fresh, atTwo, atFour, ahead] = [null, 2, 4, 9].map((since) =>
      join(hub, since)
    );
    for (const socket of [fresh, atTwo, atFour, ahead]) {
      await socket.waitFor((m) => m.length > 0);
    }
    // Fan-outs read from seq 5 on; the joins' one read, from the lowest since.
    assert.deepEqual(reads.filter((since) => since < 5), [2]);
    assert.deepEqual(seqsOf(atTwo.messages()), [3, 4, 5]);
    assert.deepEqual(seqsOf(atFour.messages()), [5]);
    // A since the room has not reached, like none, gets a snapshot.
    for (const socket of [fresh, ahead]) {
      const sync = syncOf(socket.messages());
      assert.deepEqual([sync.recovered, sync.chats?.length], [false, 5]);
    }
    assert.deepEqual(
      [atTwo, atFour].map((s) => syncOf(s.messages()).seq),
      [5, 5],
    );
  });
});
