/**
 * The ceiling baseline: a bare `Deno.serve` WebSocket relay with rooms in
 * memory. It speaks the same REST writes and WebSocket shape as Tack (just
 * what the generator uses) with no KV, no validation and no auth, so it shows
 * what the runtime itself can do.
 *
 * Run: `deno run --allow-net --allow-env bench/ceiling_server.ts` (`PORT`,
 * default 8000).
 *
 * @module
 */
import { BaselineRooms } from "./baseline_rooms.js";

const sockets = new Map<string, Set<WebSocket>>();

const rooms = new BaselineRooms((urlId, event) => {
  const frame = JSON.stringify(event); // serialised once, sent to everyone
  for (const socket of sockets.get(urlId) ?? []) {
    if (socket.readyState === WebSocket.OPEN) socket.send(frame);
  }
});

function openSocket(request: Request, query: URLSearchParams): Response {
  const urlId = query.get("urlId") ?? "";
  const sinceParam = query.get("since");
  const since = sinceParam === null ? null : Number(sinceParam);
  const { socket, response } = Deno.upgradeWebSocket(request);
  socket.onopen = () => {
    let members = sockets.get(urlId);
    if (!members) sockets.set(urlId, members = new Set());
    // Joined and replayed in one synchronous step, so no event falls between.
    members.add(socket);
    const { sync, missed } = rooms.resync(urlId, since);
    socket.send(JSON.stringify(sync));
    for (const event of missed) socket.send(JSON.stringify(event));
  };
  socket.onclose = () => {
    const members = sockets.get(urlId);
    members?.delete(socket);
    if (members?.size === 0) sockets.delete(urlId);
  };
  return response;
}

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname.endsWith("/ws")) {
    return openSocket(request, url.searchParams);
  }
  const body = request.method === "GET" ? null : await request.json();
  const result = rooms.handle(
    request.method,
    url.pathname,
    url.searchParams,
    body,
  );
  return Response.json(result.body, { status: result.status });
}

const port = Number(Deno.env.get("PORT") ?? 8000);
Deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, handle);
