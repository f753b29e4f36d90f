import assert from "node:assert/strict";
import { Room, type Work } from "./hub_room.ts";
import { SocketSender } from "./hub_sender.ts";
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
  let release: (() => void) | null = null;
  room.enqueue(() => new Promise<void>((resolve) => release = resolve));
  room.schedule(["events"]);
  room.schedule(["users"]);
  room.schedule(["events", "presence"]);
  while (!release) await new Promise((resolve) => setTimeout(resolve, 1));
  (release as () => void)();
  await room.idle();
  assert.deepEqual(passes, [["events", "presence", "users"]]);
  // Once that pass has run, new work gets a pass of its own.
  room.schedule(["users"]);
  await room.idle();
  assert.deepEqual(passes, [["events", "presence", "users"], ["users"]]);
});

Deno.test("a closed room runs no more passes", async () => {
  const { room, passes } = recordingRoom();
  room.schedule(["events"]);
  room.closed = true;
  room.schedule(["users"]);
  await room.idle();
  assert.deepEqual(passes, []);
});

Deno.test("synced lists only the sockets sent their sync", () => {
  const { room } = recordingRoom();
  const socket = new FakeSocket();
  const sender = new SocketSender(socket);
  const waiting = { socket, since: null, seq: 0, synced: false, sender };
  const live = { socket, since: null, seq: 4, synced: true, sender };
  room.clients.add(waiting).add(live);
  assert.deepEqual(room.synced(), [live]);
  assert.equal(room.key, Room.key("t1", "img"));
});
