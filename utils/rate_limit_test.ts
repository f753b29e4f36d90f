import assert from "node:assert/strict";
import {
  abuseLimits,
  ConnectionCounter,
  RateLimitedError,
  TokenBuckets,
} from "./rate_limit.ts";

function clock(start = 0) {
  const time = { now: start };
  return { time, now: () => time.now };
}

Deno.test("a bucket passes a burst, then one request per refill", () => {
  const { time, now } = clock();
  const buckets = new TokenBuckets({ capacity: 3, windowMs: 3_000, now });
  assert.deepEqual([1, 2, 3].map(() => buckets.take("a")), [0, 0, 0]);
  assert.equal(buckets.take("a"), 1_000);
  assert.equal(buckets.take("b"), 0, "keys have their own buckets");
  time.now = 500;
  assert.equal(buckets.take("a"), 500);
  time.now = 1_000;
  assert.equal(buckets.take("a"), 0);
  assert.ok(buckets.take("a") > 0);
  time.now = 100_000;
  assert.deepEqual([1, 2, 3].map(() => buckets.take("a")), [0, 0, 0]);
});

Deno.test("check throws a 429 with whole seconds to wait", () => {
  const { now } = clock();
  const buckets = new TokenBuckets({ capacity: 1, windowMs: 10_000, now });
  buckets.check("a", "slow down");
  assert.throws(() => buckets.check("a", "slow down"), (err) => {
    assert.ok(err instanceof RateLimitedError);
    assert.equal(err.code, "rate_limited");
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterSeconds, 10);
    return true;
  });
});

Deno.test("buckets stay bounded under many keys", () => {
  const { time, now } = clock();
  const buckets = new TokenBuckets({
    capacity: 2,
    windowMs: 1_000,
    now,
    maxBuckets: 10,
  });
  for (let i = 0; i < 100; i++) {
    time.now = i;
    buckets.take(`k${i}`);
  }
  assert.ok(buckets.size <= 10, `${buckets.size} buckets`);
});

Deno.test("abuseLimits reads the environment, ignoring nonsense", () => {
  const env = (values: Record<string, string>) => ({
    get: (name: string) => values[name],
  });
  assert.deepEqual(abuseLimits(env({})), {
    writes: { capacity: 20, windowMs: 10_000 },
    handshakes: { capacity: 30, windowMs: 10_000 },
    socketsPerIp: 50,
    socketIdleSeconds: 60,
  });
  const custom = abuseLimits(env({
    TACK_RATE_WRITES: "3",
    TACK_RATE_WINDOW_MS: "60000",
    TACK_RATE_HANDSHAKES: "-1",
    TACK_MAX_SOCKETS_PER_IP: "many",
  }));
  assert.deepEqual(custom.writes, { capacity: 3, windowMs: 60_000 });
  assert.equal(custom.handshakes.capacity, 30);
  assert.equal(custom.socketsPerIp, 50);
});

Deno.test("a connection counter caps open connections per key", () => {
  const counter = new ConnectionCounter(2);
  const first = counter.acquire("ip");
  counter.acquire("ip");
  assert.throws(() => counter.acquire("ip"), RateLimitedError);
  assert.equal(counter.count("other"), 0);
  first();
  first(); // releasing twice counts once
  assert.equal(counter.count("ip"), 1);
  counter.acquire("ip");
  assert.equal(counter.count("ip"), 2);
});
