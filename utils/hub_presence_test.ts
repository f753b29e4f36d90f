import assert from "node:assert/strict";
import { Presence } from "./hub_presence.ts";
import { Room, type RoomClient, type Work } from "./hub_room.ts";
import { RoomSender } from "./hub_sender.ts";
import {
  FakeSocket,
  FakeStore,
  FakeTimers,
  TENANT,
  URL_ID,
} from "../tests/_hub_fakes.ts";

/** Lets the promises the fake timers started settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1));

function client(synced: boolean): RoomClient {
  const socket = new FakeSocket();
  return { socket, since: null, seq: 0, synced, pending: null, unsentBound: 0 };
}

/** A room whose passes are recorded instead of run. */
function recordingRoom(urlId = URL_ID) {
  const passes: Work[][] = [];
  const room = new Room(
    TENANT,
    urlId,
    (work) => {
      passes.push([...work]);
      return Promise.resolve();
    },
    () => {},
    new RoomSender(),
  );
  return { room, passes };
}

async function withPresence(
  fn: (presence: Presence, store: FakeStore, timers: FakeTimers) => unknown,
  errors: unknown[] = [],
) {
  const kv = await Deno.openKv(":memory:");
  const timers = new FakeTimers();
  const store = new FakeStore(kv, () => timers.now());
  const presence = new Presence({
    store,
    isolateId: "iso-a",
    heartbeatMs: 10_000,
    ttlMs: 20_000,
    timers,
    onError: (error) => errors.push(error),
  });
  try {
    await fn(presence, store, timers);
  } finally {
    presence.stopHeartbeat();
    kv.close();
  }
}

Deno.test("a recount keeps the others' share and tells synced sockets", async () => {
  await withPresence(async (presence, store) => {
    const { room } = recordingRoom();
    const [live, joining] = [client(true), client(false)];
    room.clients.add(live).add(joining);
    await presence.write(room);
    assert.equal(room.written, 2);
    store.presence.set("iso-b", 3);
    store.beats.set("iso-b", Infinity);
    await presence.recount(room);
    assert.deepEqual([room.others, room.users, room.counted], [3, 5, true]);
    room.sender.flush();
    assert.deepEqual(JSON.parse((live.socket as FakeSocket).frames[0]), {
      type: "users",
      urlId: URL_ID,
      count: 5,
    });
    assert.deepEqual((joining.socket as FakeSocket).frames, []);
  });
});

Deno.test("a write waits for a beat that lasts; a beat after a lapse rewrites every room as unseen", async () => {
  const errors: unknown[] = [];
  await withPresence(async (presence, store, timers) => {
    const { room, passes } = recordingRoom();
    presence.startHeartbeat(() => [room]);
    room.clients.add(client(true));
    await presence.write(room);
    room.clients.add(client(true));
    await presence.write(room);
    assert.equal(store.beatCalls, 1, "one beat lasts for both writes");
    assert.deepEqual(store.presenceVisible, [0, 1]);
    // KV refuses the beats for longer than one lasts: readers stop counting
    // this isolate and may delete its entries.
    const beatIsolate = store.beatIsolate.bind(store);
    store.beatIsolate = () => Promise.reject(new Error("unavailable"));
    timers.advanceTo(10_000);
    await settle();
    timers.advanceTo(20_000);
    await settle();
    assert.deepEqual(passes, []);
    store.beatIsolate = beatIsolate;
    timers.advanceTo(30_000);
    await presence.beat();
    assert.equal(room.written, 0);
    assert.deepEqual(passes, [["presence"]]);
    await presence.write(room);
    assert.deepEqual(store.presenceVisible, [0, 1, 0]);
    assert.equal(errors.length, 2);
  }, errors);
});

Deno.test("a failed write is reported and the room keeps its last count", async () => {
  const errors: unknown[] = [];
  await withPresence(async (presence, store) => {
    const { room } = recordingRoom();
    room.clients.add(client(true));
    const locked = new Error("database is locked");
    store.setPresence = () => Promise.reject(locked);
    await presence.write(room);
    assert.equal(room.written, 0);
    assert.deepEqual(errors, [locked]);
  }, errors);
});

Deno.test("the heartbeat beats once per interval, however many rooms, and writes none of them", async () => {
  await withPresence(async (presence, store, timers) => {
    const rooms = [0, 1, 2].map((i) => recordingRoom(`img-${i}`));
    presence.startHeartbeat(() => rooms.map(({ room }) => room));
    timers.advanceTo(10_000);
    await settle();
    timers.advanceTo(20_000);
    await settle();
    assert.equal(store.beatCalls, 2);
    assert.deepEqual(rooms.map(({ passes }) => passes), [[], [], []]);
    assert.equal(store.countCalls, 0);
  });
});

Deno.test("rooms are recounted at the first heartbeat after a counted isolate stops beating", async () => {
  await withPresence(async (presence, store, timers) => {
    const { room, passes } = recordingRoom();
    const alone = recordingRoom("img-alone");
    presence.startHeartbeat(() => [room, alone.room]);
    // The fake store holds one room's presence: count the lone room first.
    await presence.recount(alone.room);
    store.presence.set("iso-b", 2);
    store.beats.set("iso-b", 20_000);
    await presence.recount(room);
    assert.equal(room.others, 2);
    // Still beating at 20 s: its beat is read again, and nothing recounted.
    timers.advanceTo(10_000);
    store.beats.set("iso-b", 30_000);
    timers.advanceTo(20_000);
    await settle();
    assert.deepEqual(passes, []);
    // It stops: the next heartbeat past its beat recounts the rooms it was in.
    timers.advanceTo(30_000);
    await settle();
    assert.deepEqual(passes, [["users"]]);
    assert.deepEqual(
      alone.passes,
      [],
      "a room with no others is not recounted",
    );
  });
});
