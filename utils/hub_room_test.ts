import assert from "node:assert/strict";
import { Room, type Work } from "./hub_room.ts";
import type { RoomEvent } from "./protocol.ts";
import { RoomSender } from "./hub_sender.ts";
import { FakeSocket } from "../tests/_hub_fakes.ts";

/** A room whose passes and errors are recorded. */
function recordingRoom() {
  const passes: Work[][] = [];
  const errors: unknown[] = [];
  const room = new Room(
    "t1",
    "img",
    (work) => {
      passes.push([...work].sort());
      return Promise.resolve();
    },
    (err) => errors.push(err),
    new RoomSender(),
  );
  return { room, passes, errors };
}

Deno.test("steps run one after another, in the order queued", async () => {
  const { room } = recordingRoom();
  const log: string[] = [];
  const step = (name: string, delayMs: number) => async () => {
    log.push(`${name} start`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    log.push(`${name} end`);
  };
  room.enqueue(step("a", 20));
  room.enqueue(step("b", 0));
  await room.idle();
  assert.deepEqual(log, ["a start", "a end", "b start", "b end"]);
});

Deno.test("a failing step is reported and the queue goes on", async () => {
  const { room, errors } = recordingRoom();
  const failure = new Error("store down");
  let ran = false;
  room.enqueue(() => Promise.reject(failure));
  room.enqueue(() => {
    ran = true;
    return Promise.resolve();
  });
  await room.idle();
  assert.deepEqual(errors, [failure]);
  assert.equal(ran, true);
});

Deno.test("work scheduled before a pass starts joins that pass", async () => {
  const { room, passes } = recordingRoom();
  const releases: (() => void)[] = [];
  const blocked = () => new Promise<void>((resolve) => releases.push(resolve));
  room.enqueue(blocked);
  room.enqueuePresence(blocked);
  room.schedule(["events"]);
  room.schedule(["users"]);
  room.schedule(["events", "presence"]);
  while (releases.length < 2) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  for (const release of releases) release();
  await room.idle();
  assert.deepEqual(passes.sort(), [["events"], ["presence", "users"]]);
  // Once that pass has run, new work gets a pass of its own.
  room.schedule(["users"]);
  await room.idle();
  assert.deepEqual(passes, [["events"], ["presence", "users"], ["users"]]);
});

Deno.test("a closed room runs no more passes", async () => {
  const { room, passes } = recordingRoom();
  room.schedule(["events"]);
  room.closed = true;
  room.schedule(["users"]);
  await room.idle();
  assert.deepEqual(passes, []);
});

Deno.test("viewers adds this isolate's sockets to the others' count", () => {
  const { room } = recordingRoom();
  const client = (socket: FakeSocket) => ({
    socket,
    since: null,
    seq: 0,
    synced: false,
    pending: null,
    unsentBound: 0,
  });
  room.others = 3;
  room.clients.add(client(new FakeSocket())).add(client(new FakeSocket()));
  assert.equal(room.viewers(), 5);
  assert.equal(room.key, Room.key("t1", "img"));
});

Deno.test("events and presence run on lanes of their own", async () => {
  const { room, passes } = recordingRoom();
  let release: (() => void) | null = null;
  room.enqueue(() => new Promise<void>((resolve) => release = resolve));
  room.schedule(["events", "presence"]);
  // The presence pass does not wait for the blocked events lane.
  await room.presenceIdle();
  assert.deepEqual(passes, [["presence"]]);
  while (!release) await new Promise((resolve) => setTimeout(resolve, 1));
  (release as () => void)();
  await room.idle();
  assert.deepEqual(passes, [["presence"], ["events"]]);
});

Deno.test("sendSync sends a recovery with the missed events, or a snapshot, at once", () => {
  const { room } = recordingRoom();
  room.users = 4;
  const socket = new FakeSocket();
  const client = {
    socket,
    since: 1,
    seq: 0,
    synced: false,
    pending: null,
    unsentBound: 0,
  };
  room.clients.add(client);
  const event: RoomEvent = {
    type: "deleted-image-chat",
    urlId: "img",
    seq: 2,
    broadcastId: "b",
    chat: { id: "c" },
  };
  room.sendSync(client, { seq: 2, events: [event] });
  assert.deepEqual(socket.messages(), [
    { type: "sync", urlId: "img", seq: 2, recovered: true, users: 4 },
    event,
  ]);
  assert.deepEqual([client.synced, client.seq], [true, 2]);
  room.sendSync(client, { seq: 3, chats: [] });
  assert.deepEqual(socket.messages().at(-1), {
    type: "sync",
    urlId: "img",
    seq: 3,
    recovered: false,
    users: 4,
    chats: [],
  });
});
