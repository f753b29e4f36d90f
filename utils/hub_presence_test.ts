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

Deno.test("a write tells the store what readers see: the last count, 0 once expired", async () => {
  await withPresence(async (presence, store, timers) => {
    const { room } = recordingRoom();
    room.clients.add(client(true));
    await presence.write(room);
    room.clients.add(client(true));
    timers.advanceTo(19_999);
    await presence.write(room);
    timers.advanceTo(19_999 + 20_000);
    await presence.write(room);
    assert.deepEqual(store.presenceVisible, [0, 1, 0]);
    assert.equal(room.written, 2);
  });
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

Deno.test("the heartbeat gives each room one pass per interval, in turns", async () => {
  await withPresence(async (presence, _store, timers) => {
    const rooms = [0, 1, 2].map((i) => recordingRoom(`img-${i}`));
    for (const { room } of rooms) presence.assignSlot(room);
    presence.startHeartbeat(() => rooms.map(({ room }) => room));
    const beatenAt: number[][] = rooms.map(() => []);
    for (let time = 100; time <= 20_000; time += 100) {
      timers.advanceTo(time);
      await Promise.all(rooms.map(({ room }) => room.idle()));
      rooms.forEach(({ passes }, i) => {
        if (passes.length > beatenAt[i].length) beatenAt[i].push(time);
      });
    }
    assert.deepEqual(beatenAt, [
      [10_000, 20_000],
      [100, 10_100],
      [200, 10_200],
    ]);
    assert.deepEqual(rooms[0].passes, [["presence"], ["presence"]]);
  });
});
