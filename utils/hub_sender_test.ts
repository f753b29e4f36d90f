import assert from "node:assert/strict";
import { FakeSocket, FakeTimers } from "../tests/_hub_fakes.ts";
import { type Recipient, RoomSender, serialize } from "./hub_sender.ts";

const WINDOW = 10;

function setup(maxBufferedBytes = 1_000) {
  const timers = new FakeTimers();
  const sent: [number, number][] = [];
  const overflowed: Recipient[] = [];
  const sender = new RoomSender<Recipient>({
    batchMs: WINDOW,
    maxBufferedBytes,
    timers,
    onSent: (messages, bytes) => sent.push([messages, bytes]),
    onOverflow: (recipient) => overflowed.push(recipient),
  });
  const recipient = (): Recipient => ({
    socket: new FakeSocket(),
    pending: null,
    unsentBound: 0,
  });
  const frames = (r: Recipient) => (r.socket as FakeSocket).frames;
  return { timers, sender, sent, overflowed, recipient, frames };
}

const event = (seq: number) => serialize({ seq, text: "héllo" });

Deno.test("serialize measures the JSON in UTF-8 bytes", () => {
  const out = serialize({ text: "é😀" });
  assert.equal(out.json, '{"text":"é😀"}');
  assert.equal(out.bytes, new TextEncoder().encode(out.json).length);
  assert.equal(out.bytes, out.json.length + 1 + 2);
});

Deno.test("a quiet room gets a pass at once, as lone objects, with no timer", () => {
  const { timers, sender, sent, recipient, frames } = setup();
  const a = recipient();
  const b = recipient();
  sender.queue(a, [event(1)]);
  sender.queue(b, [event(1)]);
  sender.release();
  assert.deepEqual([frames(a), frames(b)], [[event(1).json], [event(1).json]]);
  assert.deepEqual(sent, [[2, 2 * event(1).bytes]]);
  assert.equal(timers.pending, 0);
});

Deno.test("passes within the window after a flush leave together when it ends", () => {
  const { timers, sender, sent, recipient, frames } = setup();
  const a = recipient();
  sender.queue(a, [event(1)]);
  sender.release();
  timers.advanceTo(3);
  sender.queue(a, [event(2)]);
  sender.release();
  sender.queue(a, [event(3), event(4)]);
  sender.release();
  assert.equal(frames(a).length, 1, "nothing more before the window ends");
  assert.equal(timers.pending, 1, "one timer for the room");
  timers.advanceTo(WINDOW);
  const batch = `[${event(2).json},${event(3).json},${event(4).json}]`;
  assert.deepEqual(frames(a), [event(1).json, batch]);
  assert.deepEqual(sent, [
    [1, event(1).bytes],
    [3, new TextEncoder().encode(batch).length],
  ]);
});

Deno.test("recipients given the same messages share one queue and frame", () => {
  const { timers, sender, recipient, frames } = setup();
  const [a, b, late] = [recipient(), recipient(), recipient()];
  sender.queue(a, [event(0)]);
  sender.release();
  const first = [event(1)];
  const second = [event(2)];
  for (const r of [a, b]) sender.queue(r, first);
  sender.queue(late, [event(2)]);
  for (const r of [a, b]) sender.queue(r, second);
  assert.equal(a.pending, b.pending, "one shared queue");
  assert.notEqual(a.pending, late.pending);
  sender.release();
  timers.advanceTo(WINDOW);
  const batch = `[${event(1).json},${event(2).json}]`;
  assert.deepEqual(frames(a), [event(0).json, batch]);
  assert.deepEqual(frames(b), [batch]);
  assert.deepEqual(frames(late), [event(2).json]);
});

Deno.test("after a quiet window the next pass goes at once again", () => {
  const { timers, sender, recipient, frames } = setup();
  const a = recipient();
  sender.queue(a, [event(1)]);
  sender.release();
  timers.advanceTo(WINDOW);
  sender.queue(a, [event(2)]);
  sender.release();
  assert.deepEqual(frames(a), [event(1).json, event(2).json]);
  assert.equal(timers.pending, 0);
});

Deno.test("a socket over its buffered bound is reported and sent nothing", () => {
  const bound = event(1).bytes - 1;
  const { timers, sender, overflowed, recipient, frames } = setup(bound);
  const [slow, fast] = [recipient(), recipient()];
  for (const r of [slow, fast]) sender.queue(r, [event(1)]);
  sender.release();
  (slow.socket as FakeSocket).bufferedAmount = bound + 1;
  timers.advanceTo(WINDOW);
  for (const r of [slow, fast]) sender.queue(r, [event(2)]);
  sender.release();
  assert.deepEqual(overflowed, [slow]);
  assert.deepEqual(frames(slow), [event(1).json]);
  assert.deepEqual(frames(fast), [event(1).json, event(2).json]);
  assert.equal(timers.pending, 0);
});

Deno.test("unsent bytes are read only once the sends could have passed the bound", () => {
  const { sender, recipient, frames } = setup(3 * event(1).bytes);
  const a = recipient();
  let reads = 0;
  Object.defineProperty(a.socket, "bufferedAmount", {
    get: () => (reads++, 0),
  });
  for (let i = 1; i <= 5; i++) {
    sender.queue(a, [event(i)]);
    sender.flush();
  }
  assert.equal(frames(a).length, 5);
  // Only the fifth frame could have found more than three frames unsent.
  assert.equal(reads, 1);
  assert.equal(a.unsentBound, event(1).bytes);
});

Deno.test("sendNow sends one recipient's queue ahead of the window", () => {
  const { timers, sender, sent, recipient, frames } = setup();
  const [a, joining] = [recipient(), recipient()];
  sender.queue(a, [event(1)]);
  sender.release();
  sender.queue(a, [event(2)]);
  sender.release();
  sender.queue(joining, [event(0), event(2)]);
  sender.sendNow(joining);
  assert.equal(frames(joining).length, 1);
  assert.deepEqual(frames(a), [event(1).json], "the room's batch still waits");
  assert.equal(sent.at(-1)?.[0], 2);
  assert.equal(timers.pending, 1);
});

Deno.test("drop and stop send nothing more; a closed socket is skipped", () => {
  const { timers, sender, sent, recipient, frames } = setup();
  const [a, dropped, closed] = [recipient(), recipient(), recipient()];
  sender.queue(a, [event(1)]);
  sender.release();
  sender.queue(dropped, [event(2)]);
  sender.queue(a, [event(2)]);
  sender.release();
  sender.drop(dropped);
  sender.stop();
  assert.equal(timers.pending, 0);
  (closed.socket as FakeSocket).readyState = WebSocket.CLOSED;
  sender.queue(closed, [event(3)]);
  sender.flush();
  assert.deepEqual(
    [frames(a).length, frames(dropped).length, frames(closed).length],
    [1, 0, 0],
  );
  assert.equal(sent.length, 1);
});
