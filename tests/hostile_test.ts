/**
 * Hostile input, table-driven: every refused request gets the right status
 * and error code, leaves KV exactly as it was (a full dump before and after)
 * and broadcasts nothing to a socket in the room; the server keeps serving.
 * Hostile content that is valid (markup, `javascript:` links, bidi
 * overrides) is stored as inert text and rendered escaped.
 */

import assert from "node:assert/strict";
import { sendApi } from "./_api.ts";
import { rotateTenantKeys } from "./_tenant.ts";
import { dumpKv, startServer, type TestServer } from "./_server.ts";
import { WsClient } from "./_ws_client.ts";
import { signSso } from "../utils/sso.ts";

/** A request of the table; `token` names one of the fixture's credentials. */
interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  expect: [status: number, code: string, field?: string];
}

const ROOM = "hostile-room";
const LOCKED = "hostile-locked";
const SSO_SECRET = "hostile-test-sso-secret";
const EVIL = "https://evil.example";

async function send(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
) {
  const res = await sendApi(server, method, path, body, token, headers);
  let json;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = { raw: res.text };
  }
  return { status: res.status, headers: res.headers, body: json };
}

function marker(urlId: string, over: Record<string, unknown> = {}) {
  return {
    urlId,
    src: "/sample-image.svg",
    x: 10,
    y: 20,
    text: "hello",
    broadcastId: crypto.randomUUID(),
    ...over,
  };
}

/** Sessions, chats and moderation state the cases run against. */
async function fixture(server: TestServer) {
  const adminKey = await rotateTenantKeys(server, "demo", SSO_SECRET);
  const session = async (tenant: string, body: unknown) => {
    const res = await send(server, "POST", `${tenant}/sessions`, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { token: string; user: { id: string } };
  };
  const ada = await session("demo", { name: "Ada" });
  const bob = await session("demo", { name: "Bob" });
  const mallory = await session("demo", { name: "Mallory" });
  const revoked = await session("demo", { name: "Revoked" });
  const acme = await session("acme", { name: "Acme user" });
  const created = await send(
    server,
    "POST",
    "demo/image-chats",
    marker(ROOM),
    ada.token,
  );
  assert.equal(created.status, 201);
  const { chat, comment } = created.body;
  const reply = await send(server, "POST", `demo/chats/${chat.id}/comments`, {
    text: "a reply",
    parentId: comment.id,
    broadcastId: "b",
  }, bob.token);
  assert.equal(reply.status, 201);
  const lockedChat = await send(
    server,
    "POST",
    "demo/image-chats",
    marker(LOCKED),
    ada.token,
  );
  for (
    const [path, body] of [
      ["demo/admin/bans", { userId: mallory.user.id }],
      ["demo/admin/bans", { userId: "sso:banned" }],
      ["demo/admin/rooms/lock", { urlId: LOCKED, locked: true }],
      ["demo/admin/sessions/revoke", { userId: revoked.user.id }],
    ] as const
  ) {
    const res = await send(server, "POST", path, body, adminKey);
    assert.ok(res.status < 300, `${path}: ${JSON.stringify(res.body)}`);
  }
  const used = await signSso(SSO_SECRET, { id: "used", name: "Used" });
  await session("demo", { sso: used });
  return {
    tokens: {
      ada: ada.token,
      bob: bob.token,
      mallory: mallory.token,
      revoked: revoked.token,
      acme: acme.token,
      admin: adminKey,
    } as Record<string, string>,
    chatId: chat.id as string,
    commentId: comment.id as string,
    replyId: reply.body.comment.id as string,
    lockedChatId: lockedChat.body.chat.id as string,
    usedSso: used,
  };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

function deep(depth: number, leaf: string): string {
  return `${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}`;
}

async function cases(f: Fixture): Promise<Case[]> {
  const { chatId, commentId, replyId, lockedChatId } = f;
  const chats = "demo/image-chats";
  const comments = `demo/chats/${chatId}/comments`;
  const hour = 60 * 60 * 1000;
  const sso = (
    user: Record<string, unknown>,
    at = Date.now(),
    secret = SSO_SECRET,
  ) => signSso(secret, user, at);
  const forged = await sso(
    { id: "root", name: "Root", moderator: true },
    Date.now(),
    "guess",
  );
  const post = (
    name: string,
    body: unknown,
    expect: Case["expect"],
    token = "ada",
  ): Case => ({
    name,
    method: "POST",
    path: chats,
    body,
    token,
    expect,
  });
  return [
    // Malformed bodies and wrong shapes.
    post("malformed JSON", '{"urlId": "x",', [400, "bad_request", "body"]),
    post("empty body", "", [400, "bad_request", "body"]),
    post("a JSON array", "[]", [400, "bad_request", "body"]),
    post("a JSON string", '"hi"', [400, "bad_request", "body"]),
    post("null", "null", [400, "bad_request", "body"]),
    post("NaN is not JSON", '{"x": NaN}', [400, "bad_request", "body"]),
    post("missing fields", {}, [400, "bad_request", "urlId"]),
    post("missing text", { ...marker(ROOM), text: undefined }, [
      400,
      "bad_request",
      "text",
    ]),
    post("missing broadcastId", { ...marker(ROOM), broadcastId: undefined }, [
      400,
      "bad_request",
      "broadcastId",
    ]),
    post("x as a string", marker(ROOM, { x: "10" }), [400, "bad_request", "x"]),
    post("text as a number", marker(ROOM, { text: 42 }), [
      400,
      "bad_request",
      "text",
    ]),
    post("text as an object", marker(ROOM, { text: { toString: "x" } }), [
      400,
      "bad_request",
      "text",
    ]),
    post("urlId null", marker(ROOM, { urlId: null }), [
      400,
      "bad_request",
      "urlId",
    ]),
    post(
      "Infinity (1e999)",
      JSON.stringify(marker(ROOM)).replace('"x":10', '"x":1e999'),
      [400, "bad_request", "x"],
    ),
    post("negative x", marker(ROOM, { x: -0.01 }), [400, "bad_request", "x"]),
    post("huge y", marker(ROOM, { y: 1e308 }), [400, "bad_request", "y"]),
    post("y just over 100", marker(ROOM, { y: 100.0001 }), [
      400,
      "bad_request",
      "y",
    ]),
    post("blank text", marker(ROOM, { text: " \n\t " }), [
      400,
      "bad_request",
      "text",
    ]),
    post(
      "text of control characters only",
      marker(ROOM, { text: "\u0000\u202E\u0007" }),
      [
        400,
        "bad_request",
        "text",
      ],
    ),
    post(
      "text over 4,000 characters",
      marker(ROOM, { text: "x".repeat(4001) }),
      [
        400,
        "bad_request",
        "text",
      ],
    ),
    post("urlId over 1,024 characters", marker("u".repeat(1025)), [
      400,
      "bad_request",
      "urlId",
    ]),
    post(
      "a 1 MiB body",
      JSON.stringify(marker(ROOM, { text: "x".repeat(1 << 20) })),
      [
        413,
        "too_large",
      ],
    ),
    post("10,000-deep arrays", "[".repeat(10_000) + "]".repeat(10_000), [
      400,
      "bad_request",
      "body",
    ]),
    post("10,000-deep objects", deep(10_000, "1"), [
      400,
      "bad_request",
      "urlId",
    ]),
    post(
      "a deep object as text",
      JSON.stringify(marker(ROOM)).replace(
        '"text":"hello"',
        `"text":${deep(5_000, "1")}`,
      ),
      [400, "bad_request", "text"],
    ),
    {
      name: "session name of control characters and bidi overrides only",
      method: "POST",
      path: "demo/sessions",
      body: { name: "\u202E\u2066\u0000\u001B" },
      expect: [400, "bad_request", "name"],
    },
    {
      name: "session name over 64 characters",
      method: "POST",
      path: "demo/sessions",
      body: { name: "n".repeat(65) },
      expect: [400, "bad_request", "name"],
    },
    // Credentials.
    post("no token", marker(ROOM), [401, "unauthorized"], ""),
    post("a garbage token", marker(ROOM), [401, "unauthorized"], "garbage"),
    post("a revoked token", marker(ROOM), [401, "unauthorized"], "revoked"),
    post("another tenant's token", marker(ROOM), [403, "forbidden"], "acme"),
    {
      name: "the demo admin key on another tenant",
      method: "POST",
      path: "acme/image-chats",
      body: marker(ROOM),
      token: "admin",
      expect: [401, "unauthorized"],
    },
    {
      name: "an unknown tenant",
      method: "POST",
      path: "nobody/image-chats",
      body: marker(ROOM),
      token: "ada",
      expect: [404, "not_found"],
    },
    {
      name: "a tenant id no tenant can have",
      method: "POST",
      path: `${"t".repeat(3000)}/image-chats`,
      body: marker(ROOM),
      token: "ada",
      expect: [404, "not_found"],
    },
    // Unknown and cross-tenant ids, other people's things.
    {
      name: "an unknown chat",
      method: "POST",
      path: "demo/chats/01NOSUCHCHAT/comments",
      body: { text: "hi", broadcastId: "b" },
      token: "ada",
      expect: [404, "not_found"],
    },
    {
      name: "a demo chat through another tenant",
      method: "POST",
      path: `acme/chats/${chatId}/comments`,
      body: { text: "hi", broadcastId: "b" },
      token: "acme",
      expect: [404, "not_found"],
    },
    {
      name: "an unknown comment",
      method: "PATCH",
      path: `${comments}/01NOSUCHCOMMENT`,
      body: { text: "hi", broadcastId: "b" },
      token: "ada",
      expect: [404, "not_found"],
    },
    {
      name: "deleting an unknown image chat",
      method: "DELETE",
      path: `${chats}/01NOSUCHCHAT`,
      body: { broadcastId: "b" },
      token: "ada",
      expect: [404, "not_found"],
    },
    {
      name: "deleting an image chat as a text chat",
      method: "DELETE",
      path: `demo/text-chats/${chatId}`,
      body: { broadcastId: "b" },
      token: "ada",
      expect: [404, "not_found"],
    },
    {
      name: "a reply to a reply",
      method: "POST",
      path: comments,
      body: { text: "hi", parentId: replyId, broadcastId: "b" },
      token: "ada",
      expect: [400, "bad_request", "parentId"],
    },
    {
      name: "parentId of the wrong type",
      method: "POST",
      path: comments,
      body: { text: "hi", parentId: 7, broadcastId: "b" },
      token: "ada",
      expect: [400, "bad_request", "parentId"],
    },
    {
      name: "editing another user's comment",
      method: "PATCH",
      path: `${comments}/${commentId}`,
      body: { text: "mine now", broadcastId: "b" },
      token: "bob",
      expect: [403, "forbidden"],
    },
    {
      name: "deleting another user's comment",
      method: "DELETE",
      path: `${comments}/${commentId}`,
      body: { broadcastId: "b" },
      token: "bob",
      expect: [403, "forbidden"],
    },
    {
      name: "deleting another user's chat",
      method: "DELETE",
      path: `${chats}/${chatId}`,
      body: { broadcastId: "b" },
      token: "bob",
      expect: [403, "forbidden"],
    },
    {
      name: "a moderator editing someone's comment",
      method: "PATCH",
      path: `${comments}/${commentId}`,
      body: { text: "edited by admin", broadcastId: "b" },
      token: "admin",
      expect: [403, "forbidden"],
    },
    // Moderation.
    post(
      "a banned user's new chat",
      marker(ROOM),
      [403, "forbidden"],
      "mallory",
    ),
    {
      name: "a banned user's comment",
      method: "POST",
      path: comments,
      body: { text: "hi", parentId: null, broadcastId: "b" },
      token: "mallory",
      expect: [403, "forbidden"],
    },
    post("a chat in a locked room", marker(LOCKED), [403, "forbidden"]),
    {
      name: "a comment in a locked room",
      method: "POST",
      path: `demo/chats/${lockedChatId}/comments`,
      body: { text: "hi", broadcastId: "b" },
      token: "bob",
      expect: [403, "forbidden"],
    },
    {
      name: "deleting one's own chat in a locked room",
      method: "DELETE",
      path: `${chats}/${lockedChatId}`,
      body: { broadcastId: "b" },
      token: "ada",
      expect: [403, "forbidden"],
    },
    {
      name: "a ban by a non-moderator",
      method: "POST",
      path: "demo/admin/bans",
      body: { userId: "someone" },
      token: "ada",
      expect: [403, "forbidden"],
    },
    {
      name: "a lock without a token",
      method: "POST",
      path: "demo/admin/rooms/lock",
      body: { urlId: ROOM, locked: true },
      expect: [401, "unauthorized"],
    },
    {
      name: "a lock with a bad body",
      method: "POST",
      path: "demo/admin/rooms/lock",
      body: { urlId: ROOM, locked: 1 },
      token: "admin",
      expect: [400, "bad_request", "locked"],
    },
    // SSO.
    ...([
      ["a forged SSO payload", forged, [401, "unauthorized", "sso"]],
      [
        "an expired SSO payload",
        await sso({ id: "old", name: "Old" }, Date.now() - 25 * hour),
        [401, "unauthorized", "sso"],
      ],
      [
        "a future SSO payload",
        await sso({ id: "new", name: "New" }, Date.now() + hour),
        [401, "unauthorized", "sso"],
      ],
      ["a replayed SSO payload", f.usedSso, [401, "unauthorized", "sso"]],
      [
        "an SSO payload with a tampered user",
        {
          ...f.usedSso,
          userDataJSONBase64: btoa('{"id":"x","name":"X","moderator":true}'),
        },
        [401, "unauthorized", "sso"],
      ],
      ["a malformed SSO payload", { timestamp: "now" }, [
        400,
        "bad_request",
        "userDataJSONBase64",
      ]],
      ["an SSO payload that is a string", "payload", [
        400,
        "bad_request",
        "sso",
      ]],
      [
        "an SSO payload for a banned user",
        await sso({ id: "banned", name: "Banned" }),
        [403, "forbidden"],
      ],
    ] as [string, unknown, Case["expect"]][]).map((
      [name, payload, expect],
    ): Case => ({
      name,
      method: "POST",
      path: "demo/sessions",
      body: { sso: payload },
      expect,
    })),
    {
      name: "SSO on a tenant without SSO",
      method: "POST",
      path: "acme/sessions",
      body: { sso: await sso({ id: "1", name: "A" }) },
      expect: [403, "forbidden"],
    },
    // Origins.
    {
      ...post("a write from a foreign origin", marker(ROOM), [
        403,
        "forbidden",
        "origin",
      ]),
      headers: { origin: EVIL },
    },
    {
      name: "a session from a foreign origin",
      method: "POST",
      path: "demo/sessions",
      body: { name: "Eve" },
      headers: { origin: EVIL },
      expect: [403, "forbidden", "origin"],
    },
    {
      name: "a WebSocket handshake from a foreign origin",
      method: "GET",
      path: `demo/ws?urlId=${ROOM}`,
      headers: {
        origin: EVIL,
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
      expect: [403, "forbidden", "origin"],
    },
    {
      name: "a WebSocket handshake from a sandboxed frame",
      method: "GET",
      path: `demo/ws?urlId=${ROOM}`,
      headers: {
        origin: "null",
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
      expect: [403, "forbidden", "origin"],
    },
  ];
}

async function runCase(server: TestServer, f: Fixture, c: Case) {
  const token = c.token === undefined || c.token === ""
    ? undefined
    : f.tokens[c.token] ?? c.token;
  const res = await send(server, c.method, c.path, c.body, token, c.headers);
  const [status, code, field] = c.expect;
  const seen = JSON.stringify(res.body).slice(0, 200);
  assert.equal(res.status, status, `${c.name}: ${seen}`);
  assert.equal(res.body?.error?.code, code, `${c.name}: ${seen}`);
  assert.equal(typeof res.body.error.message, "string");
  if (field) assert.equal(res.body.error.field, field, `${c.name}: ${seen}`);
}

Deno.test("hostile input is refused with the right error and changes nothing", async (t) => {
  const server = await startServer({ env: { TACK_TENANTS: "acme" } });
  let socket: WsClient | null = null;
  try {
    const f = await fixture(server);
    const table = await cases(f);

    await t.step(
      "each refusal: right status and code, KV dump identical",
      async () => {
        for (const c of table) {
          const before = await dumpKv(server.kvPath);
          await runCase(server, f, c);
          assert.equal(
            await dumpKv(server.kvPath),
            before,
            `${c.name} changed KV`,
          );
        }
      },
    );

    await t.step(
      "a socket in the room receives nothing from any of them",
      async () => {
        socket = await WsClient.connect({
          baseUrl: server.url,
          tenant: "demo",
          urlId: ROOM,
        });
        await socket.sync();
        const received = socket.messages.length;
        for (const c of table) await runCase(server, f, c);
        // A valid write after them all arrives first, so nothing came before it.
        const ok = await send(
          server,
          "POST",
          "demo/image-chats",
          marker(ROOM),
          f.tokens.bob,
        );
        assert.equal(ok.status, 201);
        await socket.waitForEvents(1);
        const after = socket.messages.slice(received).filter((m) =>
          m.type !== "users"
        );
        assert.equal(after.length, 1, JSON.stringify(after).slice(0, 300));
        assert.equal(after[0].type, "new-image-chat");
      },
    );

    await t.step("the server still serves", async () => {
      const res = await send(server, "GET", `demo/image-chats?urlId=${ROOM}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.chats.length, 2);
    });
  } finally {
    await (socket as WsClient | null)?.close();
    await server.stop();
  }
});

Deno.test("hostile content is stored as inert text and rendered escaped", async () => {
  const server = await startServer();
  try {
    const session = await send(server, "POST", "demo/sessions", {
      name: 'Ev\u202Ee<script>alert("n")</script>\u0007',
    });
    assert.equal(session.status, 201);
    // Control characters and bidi overrides go; markup stays as text.
    assert.equal(session.body.user.name, 'Eve<script>alert("n")</script>');
    const text =
      "<img src=x onerror=alert(1)> javascript:alert(2) <script>alert(3)</script>";
    const created = await send(
      server,
      "POST",
      "demo/image-chats",
      marker("xss-room", { text, src: "javascript:alert(4)" }),
      session.body.token,
    );
    assert.equal(created.status, 201);
    const listed = await send(
      server,
      "GET",
      `demo/chats/${created.body.chat.id}/comments`,
    );
    assert.equal(listed.body.comments[0].text, text);

    const page = await fetch(
      `${server.url}/embed/image?tenant=demo&urlId=xss-room&src=/sample-image.svg`,
    );
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.ok(!html.includes("<script>alert"), "no markup from users");
    assert.ok(!html.includes("<img src=x"), "no markup from users");
    assert.ok(
      html.includes("Eve&lt;script>") || html.includes("Eve&lt;script&gt;"),
    );
  } finally {
    await server.stop();
  }
});

Deno.test("writes over the rate limit get 429 with Retry-After and change nothing", async () => {
  const server = await startServer({
    env: { TACK_RATE_WRITES: "4", TACK_RATE_WINDOW_MS: "60000" },
  });
  try {
    const { token } =
      (await send(server, "POST", "demo/sessions", { name: "Ada" })).body;
    for (let i = 0; i < 3; i++) {
      const res = await send(
        server,
        "POST",
        "demo/image-chats",
        marker("r"),
        token,
      );
      assert.equal(res.status, 201);
    }
    const before = await dumpKv(server.kvPath);
    const limited = await send(
      server,
      "POST",
      "demo/image-chats",
      marker("r"),
      token,
    );
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, "rate_limited");
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal(await dumpKv(server.kvPath), before);
    // Reads go on.
    const read = await send(server, "GET", "demo/image-chats?urlId=r");
    assert.equal(read.status, 200);
    assert.equal(read.body.chats.length, 3);
  } finally {
    await server.stop();
  }
});

Deno.test("sockets: a cap per IP, a handshake rate, 1009 for a big frame", async () => {
  const server = await startServer({
    env: {
      TACK_MAX_SOCKETS_PER_IP: "2",
      TACK_RATE_HANDSHAKES: "4",
      TACK_RATE_WINDOW_MS: "600000",
    },
  });
  const clients: WsClient[] = [];
  try {
    const connect = async () => {
      const client = await WsClient.connect({
        baseUrl: server.url,
        tenant: "demo",
        urlId: ROOM,
      });
      clients.push(client);
      await client.sync();
      return client;
    };
    const handshake = () =>
      send(server, "GET", `demo/ws?urlId=${ROOM}`, undefined, undefined, {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      });
    const big = await connect();
    await connect();
    const third = await handshake();
    assert.equal(third.status, 429, JSON.stringify(third.body));
    assert.equal(third.body.error.code, "rate_limited");

    // A frame over 64 KiB closes its socket with 1009, freeing its place.
    big.send("x".repeat(70 * 1024));
    assert.equal((await big.closed()).code, 1009);
    await connect();
    // Four handshakes passed the rate; the fifth is refused.
    const fifth = await handshake();
    assert.equal(fifth.status, 429);
    assert.ok(Number(fifth.headers.get("retry-after")) >= 1);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await server.stop();
  }
});
