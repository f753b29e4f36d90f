import assert from "node:assert/strict";
import { FakeSocket, FakeTimers } from "../tests/_hub_fakes.ts";
import { serialize, SocketSender } from "./hub_sender.ts";

const WINDOW = 10;

function setup(maxBufferedBytes = 1_000) {
  const socket = new FakeSocket();
  const timers = new FakeTimers();
  const sent: [number, number][] = [];
  let overflows = 0;
  const sender = new SocketSender(socket, {
    batchMs: WINDOW,
    maxBufferedBytes,
    timers,
    onSent: (messages, bytes) => sent.push([messages, bytes]),
    onOverflow: () => overflows++,
  });
  return { socket, timers, sender, sent, overflows: () => overflows };
}

const event = (seq: number) => serialize({ seq, text: "héllo" });

Deno.test("serialize measures the JSON in UTF-8 bytes", () => {
  const out = serialize({ text: "é😀" });
  assert.equal(out.json, '{"text":"é😀"}');
  assert.equal(out.bytes, new TextEncoder().encode(out.json).length);
  assert.equal(out.bytes, out.json.length + 1 + 2);
});

Deno.test("a quiet socket gets a message at once, as a lone object, with no timer", () => {
  const { socket, timers, sender } = setup();
  sender.push([event(1)]);
  assert.deepEqual(socket.frames, [event(1).json]);
  assert.equal(timers.pending, 0);
});

Deno.test("messages within the window after a frame leave together when it ends", () => {
  const { socket, timers, sender, sent } = setup();
  sender.push([event(1)]);
  timers.advanceTo(3);
  sender.push([event(2)]);
  sender.push([event(3), event(4)]);
  assert.equal(socket.frames.length, 1, "nothing more before the window ends");
  timers.advanceTo(WINDOW);
  assert.equal(socket.frames.length, 2);
  const batch = `[${event(2).json},${event(3).json},${event(4).json}]`;
  assert.equal(socket.frames[1], batch);
  assert.deepEqual(sent, [
    [1, event(1).bytes],
    [3, new TextEncoder().encode(batch).length],
  ]);
});

Deno.test("after a quiet window the next message goes at once again", () => {
  const { socket, timers, sender } = setup();
  sender.push([event(1)]);
  timers.advanceTo(WINDOW);
  sender.push([event(2)]);
  assert.deepEqual(socket.frames, [event(1).json, event(2).json]);
  assert.equal(timers.pending, 0);
});

Deno.test("a socket over its buffered bound is reported once and sent nothing more", () => {
  const { socket, timers, sender, overflows } = setup(100);
  sender.push([event(1)]);
  socket.bufferedAmount = 101;
  timers.advanceTo(WINDOW);
  sender.push([event(2)]);
  assert.equal(overflows(), 1);
  sender.push([event(3)]);
  timers.advanceTo(3 * WINDOW);
  assert.deepEqual(socket.frames, [event(1).json]);
  assert.equal(overflows(), 1);
  assert.equal(timers.pending, 0);
});

Deno.test("stop cancels a pending batch; a closed socket is sent nothing", () => {
  const { socket, timers, sender, sent } = setup();
  sender.push([event(1)]);
  sender.push([event(2)]);
  assert.equal(timers.pending, 1);
  sender.stop();
  assert.equal(timers.pending, 0);
  const closed = setup();
  closed.socket.readyState = WebSocket.CLOSED;
  closed.sender.push([event(1)]);
  assert.deepEqual([socket.frames.length, closed.socket.frames.length], [1, 0]);
  assert.equal(sent.length, 1);
});

Deno.test("flush sends what waits for the window now", () => {
  const { socket, timers, sender } = setup();
  sender.push([event(1)]);
  sender.push([event(2)]);
  sender.flush();
  assert.deepEqual(socket.frames, [event(1).json, event(2).json]);
  assert.equal(timers.pending, 0);
});
