import assert from "node:assert/strict";
import { ApiError } from "./validation.ts";
import { RateLimitedError } from "./rate_limit.ts";
import {
  clientIp,
  type GuardedRequest,
  originMayWrite,
  RequestGuard,
} from "./request_guard.ts";

const tenant = {
  id: "acme",
  name: "Acme",
  origins: ["https://acme.example", "http://localhost:*"],
  createdAt: 0,
};
const URL_ = "https://tack.example/api/v1/acme/image-chats";

function request(over: Partial<GuardedRequest> = {}): GuardedRequest {
  return {
    method: "POST",
    url: URL_,
    origin: null,
    upgrade: false,
    ip: "203.0.113.7",
    ...over,
  };
}

function guard(capacity = 100, sockets = 100) {
  const limit = { capacity, windowMs: 60_000 };
  return new RequestGuard({
    writes: limit,
    handshakes: limit,
    socketsPerIp: sockets,
    socketIdleSeconds: 60,
  });
}

Deno.test("writes may come from no browser, Tack itself or a listed site", () => {
  assert.equal(originMayWrite(null, URL_, tenant), true);
  assert.equal(originMayWrite("https://tack.example", URL_, tenant), true);
  assert.equal(originMayWrite("http://tack.example", URL_, tenant), true);
  assert.equal(originMayWrite("https://acme.example", URL_, tenant), true);
  assert.equal(originMayWrite("http://localhost:3000", URL_, tenant), true);
  assert.equal(originMayWrite("https://evil.example", URL_, tenant), false);
  assert.equal(originMayWrite("null", URL_, tenant), false);
  assert.equal(originMayWrite("garbage", URL_, tenant), false);
});

Deno.test("a foreign origin is refused on writes and handshakes, not reads", () => {
  const g = guard();
  const evil = "https://evil.example";
  for (
    const over of [{ origin: evil }, { origin: evil, method: "DELETE" }, {
      origin: evil,
      method: "GET",
      upgrade: true,
    }]
  ) {
    assert.throws(
      () => g.check(request(over), tenant),
      (err) =>
        err instanceof ApiError && err.code === "forbidden" &&
        err.field === "origin",
    );
  }
  g.check(request({ origin: evil, method: "GET" }), tenant);
  g.check(request({ origin: "https://acme.example" }), tenant);
});

Deno.test("writes and handshakes are limited per IP, separately", () => {
  const g = guard(2);
  g.check(request(), tenant);
  g.check(request(), tenant);
  assert.throws(() => g.check(request(), tenant), RateLimitedError);
  g.check(request({ ip: "198.51.100.1" }), tenant);
  const handshake = request({ method: "GET", upgrade: true });
  g.check(handshake, tenant);
  g.check(handshake, tenant);
  assert.throws(() => g.check(handshake, tenant), RateLimitedError);
  // Reads are not limited.
  for (let i = 0; i < 10; i++) g.check(request({ method: "GET" }), tenant);
});

Deno.test("writers are limited per identity, sockets per IP", () => {
  const g = guard(1, 1);
  g.checkWriter("acme", "u1");
  assert.throws(() => g.checkWriter("acme", "u1"), RateLimitedError);
  g.checkWriter("acme", "u2");
  g.checkWriter("demo", "u1");
  const release = g.acquireSocket("203.0.113.7");
  assert.throws(() => g.acquireSocket("203.0.113.7"), RateLimitedError);
  release();
  g.acquireSocket("203.0.113.7");
});

Deno.test("clientIp reads a network address", () => {
  assert.equal(
    clientIp({ transport: "tcp", hostname: "127.0.0.1", port: 1 }),
    "127.0.0.1",
  );
  assert.equal(clientIp({ transport: "unix", path: "/tmp/s" }), "local");
});
