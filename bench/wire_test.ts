import assert from "node:assert/strict";
import {
  API_PATH,
  decodeFrame,
  nowMs,
  readStamp,
  type ServerKind,
  socketUrl,
  stampText,
} from "./wire.ts";

Deno.test("stampText and readStamp round-trip", () => {
  assert.equal(stampText(2, 1700000000000.5), "bench 2 1700000000000.500");
  assert.deepEqual(readStamp(stampText(2, 1700000000000.5)), {
    stage: 2,
    sentAt: 1700000000000.5,
  });
  assert.deepEqual(readStamp(stampText(0, 1)), { stage: 0, sentAt: 1 });
  // A real send time keeps its sub-millisecond part (to the microsecond).
  const sentAt = nowMs();
  const stamp = readStamp(stampText(5, sentAt));
  assert.ok(stamp !== null);
  assert.equal(stamp.stage, 5);
  assert.ok(Math.abs(stamp.sentAt - sentAt) <= 0.0005);
});

Deno.test("readStamp rejects text that is not a stamp", () => {
  for (
    const text of [
      undefined,
      "",
      "hello",
      "bench",
      "Bench 1 2",
      "benchmark 1 2",
      " bench 1 2",
      "bench press",
      "bench warmers are 2 cheap",
      "bench 1",
      "bench x 1700000000000.500",
      "bench 1 soon",
    ]
  ) {
    assert.equal(readStamp(text), null, JSON.stringify(text));
  }
});

Deno.test("nowMs is wall-clock milliseconds", () => {
  assert.ok(Math.abs(nowMs() - Date.now()) < 1_000);
  const a = nowMs();
  const b = nowMs();
  assert.ok(b >= a);
});

Deno.test("decodeFrame: Tack's format, one object or an array per frame", () => {
  const replies: string[] = [];
  const reply = (frame: string) => replies.push(frame);
  for (const kind of ["tack", "tack-parallel", "ceiling"] as ServerKind[]) {
    assert.deepEqual(decodeFrame(kind, '{"type":"sync","seq":3}', reply), [
      { type: "sync", seq: 3 },
    ]);
    assert.deepEqual(
      decodeFrame(
        kind,
        '[{"type":"comment","seq":4,"comment":{"text":"bench 1 2.000"}},{"type":"comment","seq":5}]',
        reply,
      ),
      [
        { type: "comment", seq: 4, comment: { text: "bench 1 2.000" } },
        { type: "comment", seq: 5 },
      ],
    );
    assert.deepEqual(decodeFrame(kind, "[]", reply), []);
  }
  assert.deepEqual(replies, []);
});

Deno.test("decodeFrame: Engine.IO open and ping are answered, not returned", () => {
  const replies: string[] = [];
  const reply = (frame: string) => replies.push(frame);
  assert.deepEqual(
    decodeFrame(
      "socketio",
      '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}',
      reply,
    ),
    [],
  );
  assert.deepEqual(replies, ["40"]); // join the default namespace
  assert.deepEqual(decodeFrame("socketio", "2", reply), []);
  assert.deepEqual(replies, ["40", "3"]); // pong
});

Deno.test("decodeFrame: a Socket.IO event yields its payload", () => {
  const replies: string[] = [];
  const message = { type: "comment", seq: 7, comment: { text: "bench 0 1.5" } };
  assert.deepEqual(
    decodeFrame(
      "socketio",
      `42${JSON.stringify(["message", message])}`,
      (f) => replies.push(f),
    ),
    [message],
  );
  assert.deepEqual(replies, []);
});

Deno.test("decodeFrame: other Engine.IO and Socket.IO packets yield nothing", () => {
  const replies: string[] = [];
  for (
    const frame of [
      '40{"sid":"xyz"}', // namespace connected
      "41", // namespace disconnect
      "3", // pong
      "6", // noop
      "1", // close
    ]
  ) {
    assert.deepEqual(
      decodeFrame("socketio", frame, (f) => replies.push(f)),
      [],
      frame,
    );
  }
  assert.deepEqual(replies, []);
});

Deno.test("socketUrl: Tack's and the ceiling's WebSocket route", () => {
  for (const kind of ["tack", "tack-parallel", "ceiling"] as ServerKind[]) {
    assert.equal(
      socketUrl(kind, "http://127.0.0.1:8000", "room-1", null),
      "ws://127.0.0.1:8000/api/v1/demo/ws?urlId=room-1",
    );
    assert.equal(
      socketUrl(kind, "http://127.0.0.1:8000", "room-1", 4),
      "ws://127.0.0.1:8000/api/v1/demo/ws?urlId=room-1&since=4",
    );
  }
  assert.equal(API_PATH, "/api/v1/demo");
  // since=0 is a position, not "no since".
  assert.equal(
    socketUrl("tack", "http://127.0.0.1:8000", "r", 0),
    "ws://127.0.0.1:8000/api/v1/demo/ws?urlId=r&since=0",
  );
  assert.equal(
    socketUrl("tack", "https://example.com", "r", null),
    "wss://example.com/api/v1/demo/ws?urlId=r",
  );
});

Deno.test("socketUrl: Engine.IO v4 over WebSocket for Socket.IO", () => {
  assert.equal(
    socketUrl("socketio", "http://127.0.0.1:8000", "room-1", 4),
    "ws://127.0.0.1:8000/socket.io/?EIO=4&transport=websocket&urlId=room-1&since=4",
  );
  assert.equal(
    socketUrl("socketio", "http://127.0.0.1:8000", "room-1", null),
    "ws://127.0.0.1:8000/socket.io/?EIO=4&transport=websocket&urlId=room-1",
  );
});

Deno.test("socketUrl encodes the room id", () => {
  const urlId = "a b&c=d/é?#";
  for (const kind of ["tack", "socketio"] as ServerKind[]) {
    const url = new URL(socketUrl(kind, "http://127.0.0.1:1", urlId, 9));
    assert.equal(url.searchParams.get("urlId"), urlId);
    assert.equal(url.searchParams.get("since"), "9");
    assert.equal(url.hash, "");
  }
});
