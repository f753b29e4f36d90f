// @ts-nocheck: runs on Node with Socket.IO's own types, not Deno's.
/**
 * The "what users would pick instead" baseline: Socket.IO 4 on Node with
 * in-memory rooms. Writes arrive over the same REST routes as Tack's and are
 * emitted to the room with `io.to(urlId).emit`, as a Socket.IO app would do.
 * Clients join with `?urlId=U[&since=N]` in the handshake query.
 *
 * Run: `node bench/socketio/server.js` (`PORT`, default 8000).
 */
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { BaselineRooms } from "../baseline_rooms.js";

// Loaded through Node's resolver from bench/socketio/node_modules, so that the
// project's type check (which has no Socket.IO in its import map) skips it.
const { Server } = createRequire(import.meta.url)("socket.io");

const httpServer = createServer(async (request, response) => {
  const url = new URL(request.url, "http://localhost");
  let body = null;
  if (request.method !== "GET") {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  }
  const result = rooms.handle(
    request.method,
    url.pathname,
    url.searchParams,
    body,
  );
  response.writeHead(result.status, { "content-type": "application/json" });
  response.end(JSON.stringify(result.body));
});

const io = new Server(httpServer, {
  transports: ["websocket"],
  serveClient: false,
});

const rooms = new BaselineRooms((urlId, event) => {
  io.to(urlId).emit("message", event);
});

io.on("connection", (socket) => {
  const urlId = String(socket.handshake.query.urlId ?? "");
  const since = socket.handshake.query.since;
  socket.join(urlId);
  const { sync, missed } = rooms.resync(
    urlId,
    since === undefined ? null : Number(since),
  );
  socket.emit("message", sync);
  for (const event of missed) socket.emit("message", event);
});

httpServer.listen(Number(process.env.PORT ?? 8000), "127.0.0.1");
