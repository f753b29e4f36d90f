import assert from "node:assert/strict";
import {
  answerClientFrame,
  CLOSE_TOO_LARGE,
  closeQuietly,
  type HubSocket,
  sendFrame,
} from "./hub_socket.ts";

/** A socket that records what is sent and how it was closed. */
function recordingSocket(readyState: WebSocket["readyState"] = 1) {
  const sent: string[] = [];
  const closes: number[] = [];
  const socket: HubSocket = {
    readyState,
    bufferedAmount: 0,
    send: (data) => sent.push(String(data)),
    close: (code) => closes.push(code ?? 1005),
    addEventListener: () => {},
  };
  return { socket, sent, closes };
}

Deno.test("sendFrame sends a lone message as an object", () => {
  const { socket, sent } = recordingSocket();
  sendFrame(socket, [{ type: "pong" }]);
  assert.deepEqual(sent, ['{"type":"pong"}']);
});

Deno.test("sendFrame batches several messages into one array frame", () => {
  const { socket, sent } = recordingSocket();
  sendFrame(socket, [{ seq: 1 }, { seq: 2 }]);
  assert.deepEqual(sent, ['[{"seq":1},{"seq":2}]']);
});

Deno.test("sendFrame sends nothing for no messages or a socket not open", () => {
  const open = recordingSocket();
  sendFrame(open.socket, []);
  const closing = recordingSocket(2);
  sendFrame(closing.socket, [{ type: "pong" }]);
  assert.deepEqual([...open.sent, ...closing.sent], []);
});

Deno.test("sendFrame swallows a send that throws", () => {
  const socket: HubSocket = {
    readyState: 1,
    bufferedAmount: 0,
    send: () => {
      throw new DOMException("closed", "InvalidStateError");
    },
    close: () => {},
    addEventListener: () => {},
  };
  assert.doesNotThrow(() => sendFrame(socket, [{ type: "pong" }]));
});

Deno.test("closeQuietly passes the code on and swallows errors", () => {
  const { socket, closes } = recordingSocket();
  closeQuietly(socket, 1001, "bye");
  assert.deepEqual(closes, [1001]);
  const broken: HubSocket = {
    ...socket,
    close: () => {
      throw new Error("already closed");
    },
  };
  assert.doesNotThrow(() => closeQuietly(broken, 1001, "bye"));
});

Deno.test("a ping is answered with a pong", () => {
  const { socket, sent, closes } = recordingSocket();
  answerClientFrame(socket, '{"type":"ping"}', 1024);
  assert.deepEqual(sent, ['{"type":"pong"}']);
  assert.deepEqual(closes, []);
});

Deno.test("frames other than ping are ignored", () => {
  const { socket, sent, closes } = recordingSocket();
  for (
    const frame of [
      "not json",
      "null",
      '{"type":"new-image-chat"}',
      "[1,2]",
      new ArrayBuffer(8),
    ]
  ) {
    answerClientFrame(socket, frame, 1024);
  }
  assert.deepEqual(sent, []);
  assert.deepEqual(closes, []);
});

Deno.test("a frame over the limit closes with 1009, counted in bytes", () => {
  // 400 two-byte characters: 400 UTF-16 units, but 800 bytes.
  const text = JSON.stringify({ type: "ping", pad: "é".repeat(400) });
  const within = recordingSocket();
  answerClientFrame(within.socket, text, 1024);
  assert.deepEqual(within.closes, []);
  const over = recordingSocket();
  answerClientFrame(over.socket, text, 700);
  assert.deepEqual(over.closes, [CLOSE_TOO_LARGE]);
  assert.deepEqual(over.sent, []);
});

Deno.test("a binary frame over the limit closes with 1009", () => {
  const { socket, closes } = recordingSocket();
  answerClientFrame(socket, new ArrayBuffer(2048), 1024);
  assert.deepEqual(closes, [CLOSE_TOO_LARGE]);
});
