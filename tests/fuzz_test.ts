/**
 * A bounded fuzz test on loopback: a few thousand random and mutated REST
 * bodies, paths, headers and WebSocket frames from a seeded PRNG (a failure
 * names its seed and case, so it reproduces). The server must answer every
 * request without a 5xx and keep serving afterwards.
 */

import assert from "node:assert/strict";
import { startServer, type TestServer } from "./_server.ts";
import { WsClient } from "./_ws_client.ts";

/** Change to reproduce a failure printed by this test. */
const SEED = Number(Deno.env.get("TACK_FUZZ_SEED") ?? 20_240_611);
const REST_CASES = 4_000;
const WS_FRAMES = 2_000;
const CONCURRENCY = 8;

/** Mulberry32: small, fast and good enough to pick test cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}

type Rng = ReturnType<typeof prng>;

const STRANGE_STRINGS = [
  "",
  " ",
  "\u0000",
  "\u202E\u2066evil",
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "💥".repeat(100),
  "x".repeat(5000),
  "../../etc/passwd",
  "%00%2F",
  "\ud800",
  "null",
  "__proto__",
  "constructor",
];
const STRANGE_NUMBERS = [
  0,
  -1,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  0.1,
  100,
  100.0001,
  3,
];
const FIELDS = [
  "urlId",
  "src",
  "x",
  "y",
  "text",
  "broadcastId",
  "parentId",
  "name",
  "anchor",
  "quote",
  "start",
  "end",
  "sso",
  "userId",
  "locked",
  "__proto__",
];

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 4 : 7)) {
    case 0:
      return rng.pick(STRANGE_STRINGS);
    case 1:
      return rng.pick(STRANGE_NUMBERS);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return String.fromCharCode(
        ...Array.from({ length: rng.int(20) }, () => rng.int(0x3000)),
      );
    case 4:
      return Array.from(
        { length: rng.int(4) },
        () => randomValue(rng, depth + 1),
      );
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) {
        obj[rng.pick(FIELDS)] = randomValue(rng, depth + 1);
      }
      return obj;
    }
  }
}

/** A valid body of some endpoint, for mutation. */
function validBody(rng: Rng): Record<string, unknown> {
  return rng.pick([
    {
      urlId: "fuzz",
      src: "/a.svg",
      x: 10,
      y: 20,
      text: "hi",
      broadcastId: "b",
    },
    {
      urlId: "fuzz",
      anchor: {
        quote: "fox",
        prefix: "the ",
        suffix: " ran",
        start: 4,
        end: 7,
      },
      text: "hi",
      broadcastId: "b",
    },
    { text: "hi", parentId: null, broadcastId: "b" },
    { name: "Fuzzy" },
    { broadcastId: "b" },
    { urlId: "fuzz", locked: true },
    { userId: "u" },
    {
      sso: {
        userDataJSONBase64: btoa('{"id":"1","name":"A"}'),
        verificationHash: "0".repeat(64),
        timestamp: Date.now(),
      },
    },
  ]);
}

function mutate(rng: Rng, body: Record<string, unknown>): string {
  const copy: Record<string, unknown> = structuredClone(body);
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const keys = Object.keys(copy);
    const choice = rng.int(4);
    if (choice === 0 && keys.length) delete copy[rng.pick(keys)];
    else if (choice === 1 && keys.length) {
      copy[rng.pick(keys)] = randomValue(rng);
    } else copy[rng.pick(FIELDS)] = randomValue(rng);
  }
  let text = JSON.stringify(copy);
  // Sometimes break the JSON itself.
  if (rng.next() < 0.15) {
    const at = rng.int(text.length + 1);
    text = text.slice(0, at) +
      rng.pick(["", "{", "]", '"', "\\", ",", "NaN", "\u0000"]) +
      text.slice(at + rng.int(3));
  }
  return text;
}

/** Percent-encodes text; a lone surrogate becomes invalid UTF-8 on purpose. */
function queryText(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
}

function randomPath(rng: Rng, ids: string[]): string {
  const tenant = rng.pick([
    "demo",
    "demo",
    "demo",
    "acme",
    "nope",
    "%2e%2e",
    "DEMO",
    "x".repeat(300),
  ]);
  const id = rng.pick([...ids, "01NOPE", "", "%00", "../x", "a".repeat(3000)]);
  const path = rng.pick([
    "sessions",
    "image-chats",
    "text-chats",
    `image-chats/${id}`,
    `text-chats/${id}`,
    `chats/${id}/comments`,
    `chats/${id}/comments/${rng.pick([...ids, "01NOPE"])}`,
    `image-chats?urlId=${queryText(String(rng.pick(STRANGE_STRINGS)))}`,
    // Exports the rooms the fuzzed writes filled, whatever their srcs.
    `annotations?urlId=${
      queryText(String(rng.pick(["fuzz", "fuzz", ...STRANGE_STRINGS])))
    }`,
    "admin/bans",
    "admin/rooms/lock",
    "admin/sessions/revoke",
    `ws?urlId=fuzz&since=${
      rng.pick(["", "-1", "1e5", "99999999999999999", "x"])
    }`,
  ]);
  return `/api/v1/${tenant}/${path}`;
}

interface Outcome {
  status: number;
  label: string;
}

async function restCase(
  server: TestServer,
  rng: Rng,
  index: number,
  token: string,
  ids: string[],
): Promise<Outcome> {
  const method = rng.pick([
    "GET",
    "POST",
    "POST",
    "PATCH",
    "DELETE",
    "PUT",
    "OPTIONS",
  ]);
  const path = randomPath(rng, ids);
  const headers: Record<string, string> = {};
  if (rng.next() < 0.7) {
    headers["content-type"] = rng.pick([
      "application/json",
      "text/plain",
      "x/y",
    ]);
  }
  if (rng.next() < 0.6) {
    headers.authorization = rng.pick([
      `Bearer ${token}`,
      `Bearer ${token}x`,
      "Bearer ",
      "Basic abc",
      `Bearer tack_admin_${"A".repeat(43)}`,
      `Bearer ${token.split(".")[0]}.${"A".repeat(43)}`,
    ]);
  }
  if (rng.next() < 0.2) {
    headers.origin = rng.pick([
      "https://evil.example",
      "null",
      "http://localhost:1",
      "garbage",
    ]);
  }
  const withBody = method !== "GET" && method !== "OPTIONS";
  const body = withBody
    ? (rng.next() < 0.8
      ? mutate(rng, validBody(rng))
      : JSON.stringify(randomValue(rng)))
    : undefined;
  const res = await fetch(server.url + path, { method, headers, body });
  await res.body?.cancel();
  return {
    status: res.status,
    label: `#${index} ${method} ${path.slice(0, 120)} ${
      String(body).slice(0, 200)
    }`,
  };
}

Deno.test(`fuzz: random and mutated REST bodies and WebSocket frames never get a 5xx (seed ${SEED})`, async () => {
  const server = await startServer({ env: { TACK_TENANTS: "acme" } });
  const sockets: WsClient[] = [];
  try {
    const rng = prng(SEED);
    const session = await fetch(`${server.url}/api/v1/demo/sessions`, {
      method: "POST",
      body: JSON.stringify({ name: "Fuzz" }),
    });
    const { token } = await session.json();
    const created = await fetch(`${server.url}/api/v1/demo/image-chats`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({
        urlId: "fuzz",
        src: "/a.svg",
        x: 1,
        y: 2,
        text: "hi",
        broadcastId: "b",
      }),
    });
    const { chat, comment } = await created.json();
    const ids: string[] = [chat.id, comment.id];

    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REST_CASES) {
        const index = next++;
        const outcome = await restCase(server, rng, index, token, ids);
        if (outcome.status >= 500) {
          failures.push(`${outcome.status} ${outcome.label}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.deepEqual(failures, [], `seed ${SEED}`);

    // WebSocket frames: random and mutated text, then one over the limit.
    for (let i = 0; i < 4; i++) {
      const client = await WsClient.connect({
        baseUrl: server.url,
        tenant: "demo",
        urlId: "fuzz",
      });
      await client.sync();
      sockets.push(client);
    }
    for (let i = 0; i < WS_FRAMES; i++) {
      const frame = rng.next() < 0.5
        ? mutate(rng, rng.pick([{ type: "ping" }, { type: "sync", since: 1 }]))
        : JSON.stringify(randomValue(rng));
      sockets[rng.int(sockets.length)].send(frame);
    }
    const [tooBig, ...others] = sockets;
    tooBig.send("x".repeat(70 * 1024));
    assert.equal((await tooBig.closed()).code, 1009);
    // The other sockets still answer, and the server still serves.
    for (const client of others) {
      const before = client.messages.length;
      client.send('{"type":"ping"}');
      await client.waitFor((messages) =>
        messages.slice(before).some((m) =>
          (m as { type: string }).type === "pong"
        )
      );
    }
    const health = await fetch(
      `${server.url}/api/v1/demo/image-chats?urlId=fuzz`,
    );
    assert.equal(health.status, 200);
    assert.equal((await health.json()).chats.length >= 1, true);
  } finally {
    await Promise.all(sockets.map((client) => client.close()));
    await server.stop();
  }
});
