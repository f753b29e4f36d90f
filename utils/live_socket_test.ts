import assert from "node:assert/strict";
import { LiveSocket } from "./live_socket.ts";
import { FakeNetwork, FakeSocket, FakeTimers } from "../tests/_live_fakes.ts";
import { CLOSE_RESYNC } from "./protocol.ts";

function setup() {
  const sockets: FakeSocket[] = [];
  const received: string[] = [];
  const timers = new FakeTimers();
  const network = new FakeNetwork();
  let opened = 0;
  const socket = new LiveSocket({
    url: () => `ws://tack.test/ws?attempt=${++opened}`,
    onMessage: (data) => received.push(data),
    openSocket: (url) => {
      const fake = new FakeSocket(url);
      sockets.push(fake);
      return fake;
    },
    connectivity: network,
    timers,
    random: () => 0.5,
  });
  const last = () => sockets[sockets.length - 1];
  return { socket, sockets, received, timers, network, last };
}

Deno.test("LiveSocket: asks for its URL at every connect and passes frames on", () => {
  const { socket, sockets, received, timers, last } = setup();
  socket.connect();
  assert.equal(socket.status.value, "connecting");
  last().receive({ type: "sync" });
  assert.deepEqual(received, ['{"type":"sync"}']);
  last().closeWith(CLOSE_RESYNC);
  timers.fireAll();
  assert.deepEqual(sockets.map((s) => s.url), [
    "ws://tack.test/ws?attempt=1",
    "ws://tack.test/ws?attempt=2",
  ]);
  socket.close();
});

Deno.test("LiveSocket: a replaced socket's late frames and close are ignored", () => {
  const { socket, sockets, received, timers } = setup();
  socket.connect();
  // The handlers as the first socket had them: a frame or close event may
  // already be queued when the socket is replaced.
  const { onmessage, onclose } = sockets[0];
  socket.reopen();
  assert.equal(sockets[0].closed, true);
  onmessage!(new MessageEvent("message", { data: "late" }));
  onclose!(new CloseEvent("close", { code: 1006 }));
  assert.deepEqual(received, []);
  assert.equal(timers.pending.size, 0, "no retry for a replaced socket");
  assert.equal(socket.status.value, "connecting");
  assert.equal(sockets.length, 2);
  socket.close();
});

Deno.test("LiveSocket: offline drops the socket without retrying; online reconnects", () => {
  const { socket, sockets, timers, network, last } = setup();
  socket.connect();
  socket.synced();
  assert.equal(socket.status.value, "live");
  assert.equal(socket.online, true);
  network.set(false);
  assert.equal(socket.status.value, "offline");
  assert.equal(socket.online, false);
  assert.equal(sockets[0].closed, true);
  assert.equal(timers.pending.size, 0, "neither retries nor pings");
  network.set(true);
  assert.equal(socket.status.value, "connecting");
  assert.equal(sockets.length, 2);
  assert.equal(last().closed, false);
  socket.close();
});

Deno.test("LiveSocket: starts offline when the browser is", () => {
  const { socket, sockets, network } = setup();
  network.online = false;
  socket.connect();
  assert.equal(socket.status.value, "offline");
  assert.equal(sockets.length, 0);
  network.set(true);
  assert.equal(sockets.length, 1);
  socket.close();
});

Deno.test("LiveSocket: a sync forgets earlier failures", () => {
  const { socket, timers, last } = setup();
  socket.connect();
  last().close(); // failed connect 1
  timers.fireAll();
  socket.synced();
  last().close(); // lost after a sync: not a failed connect
  assert.equal(socket.status.value, "reconnecting");
  const [retry] = [...timers.pending.values()];
  assert.equal(retry.ms, 250, "backoff starts over after a sync");
  timers.fireAll();
  last().close(); // failed connect 1 again, not 2
  assert.equal(socket.status.value, "reconnecting");
  timers.fireAll();
  last().close(); // failed connect 2: unreachable
  assert.equal(socket.status.value, "offline");
  socket.close();
});

Deno.test("LiveSocket: after close, nothing reopens it", () => {
  const { socket, sockets, timers, network, last } = setup();
  socket.connect();
  last().close();
  assert.equal(timers.pending.size, 1);
  socket.close();
  assert.equal(timers.pending.size, 0);
  network.set(false);
  network.set(true);
  socket.reopen();
  assert.equal(sockets.length, 1);
});
