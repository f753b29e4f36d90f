/**
 * The REST API against a real server: every validation rule answers with its
 * status and code and leaves the store untouched; the happy paths answer with
 * the documented shapes.
 */

import assert from "node:assert/strict";
import { createSession, dumpKv, startServer } from "./_server.ts";
import { keys } from "../utils/db_kv.ts";
import type {
  Chat,
  Comment,
  ImageChat,
  RoomEvent,
  TextChat,
} from "../utils/protocol.ts";

interface Reply {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** What a server stored under a key prefix. */
async function storedEntries<T>(kvPath: string, prefix: Deno.KvKey) {
  const kv = await Deno.openKv(kvPath);
  try {
    return await Array.fromAsync(kv.list<T>({ prefix }));
  } finally {
    kv.close();
  }
}

/** The events a server logged for a room of the demo tenant, oldest first. */
async function storedEvents(kvPath: string, urlId: string) {
  const prefix = keys.events("demo", urlId);
  const entries = await storedEntries<{ event: RoomEvent }>(kvPath, prefix);
  return entries.map((entry) => entry.value.event);
}

Deno.test("REST API", async (t) => {
  const server = await startServer({ env: { TACK_TENANTS: "acme" } });
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply> => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${server.url}/api/v1/${path}`, {
      method,
      headers,
      body: body === undefined
        ? undefined
        : typeof body === "string"
        ? body
        : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  /** Sends a write that must be refused, and checks nothing was stored. */
  const refused = async (
    expected: [number, string, string?],
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ) => {
    const before = await dumpKv(server.kvPath);
    const { status, body: answer } = await api(method, path, body, token);
    const [wantStatus, wantCode, wantField] = expected;
    const label = `${method} ${path} ${String(body).slice(0, 80)}`;
    assert.equal(status, wantStatus, `${label}: ${JSON.stringify(answer)}`);
    assert.equal(answer.error.code, wantCode, label);
    assert.equal(typeof answer.error.message, "string");
    if (wantField) assert.equal(answer.error.field, wantField, label);
    assert.equal(await dumpKv(server.kvPath), before, `${label} stored data`);
  };

  try {
    const ada = await createSession(server.url, "demo", "Ada");
    const bob = await createSession(server.url, "demo", "Bob");
    const urlId = "api-test-image";
    const marker = (over: Record<string, unknown> = {}) => ({
      urlId,
      src: "/sample.jpg",
      x: 25,
      y: 75.5,
      text: "Look at this",
      broadcastId: crypto.randomUUID(),
      ...over,
    });
    const anchor = {
      quote: "quick brown fox",
      prefix: "The ",
      suffix: " jumps",
      start: 4,
      end: 19,
    };

    let chat!: ImageChat;
    let first!: Comment;

    await t.step("sessions: 201 with token and user", async () => {
      assert.equal(typeof ada.token, "string");
      assert.deepEqual(Object.keys(ada.user).sort(), ["id", "name"]);
      assert.equal(ada.user.name, "Ada");
      await refused([400, "bad_request", "name"], "POST", "demo/sessions", {
        name: "  ",
      });
    });

    await t.step("create an image chat", async () => {
      const { status, body } = await api(
        "POST",
        "demo/image-chats",
        marker(),
        ada.token,
      );
      assert.equal(status, 201);
      assert.deepEqual(Object.keys(body).sort(), ["chat", "comment", "seq"]);
      chat = body.chat;
      first = body.comment;
      assert.deepEqual(chat, {
        id: chat.id,
        urlId,
        src: "/sample.jpg",
        x: 25,
        y: 75.5,
        commentCount: 1,
        createdAt: chat.createdAt,
        createdBy: ada.user,
      });
      assert.deepEqual(first, {
        id: first.id,
        chatId: chat.id,
        parentId: null,
        text: "Look at this",
        author: ada.user,
        createdAt: first.createdAt,
        editedAt: null,
      });
      assert.equal(body.seq, 1);
    });

    await t.step("list image chats of a room", async () => {
      const { status, body } = await api(
        "GET",
        `demo/image-chats?urlId=${urlId}`,
      );
      assert.equal(status, 200);
      assert.deepEqual(body, { urlId, seq: 1, chats: [chat] });
      const other = await api("GET", "demo/image-chats?urlId=elsewhere");
      assert.deepEqual(other.body, { urlId: "elsewhere", seq: 0, chats: [] });
    });

    await t.step("image chat validation", async () => {
      const post = (body: unknown, field: string) =>
        refused(
          [400, "bad_request", field],
          "POST",
          "demo/image-chats",
          body,
          ada.token,
        );
      await post(marker({ x: -0.01 }), "x");
      await post(marker({ x: 100.01 }), "x");
      await post(marker({ y: 101 }), "y");
      await post(marker({ y: -5 }), "y");
      await post(marker({ x: "50" }), "x");
      await post(marker({ x: "NaN" }), "x");
      await post(marker({ y: null }), "y");
      const raw = JSON.stringify(marker()).replace('"x":25', '"x":1e999');
      assert.match(raw, /1e999/);
      await post(raw, "x");
      await post(marker({ text: "" }), "text");
      await post(marker({ text: " \n\t " }), "text");
      await post(marker({ text: "a".repeat(4001) }), "text");
      await post(marker({ urlId: "" }), "urlId");
      await post(marker({ urlId: "u".repeat(1025) }), "urlId");
      await post([marker()], "body");
    });

    await t.step("limits themselves are accepted", async () => {
      const edge = await api(
        "POST",
        "demo/image-chats",
        marker({
          urlId: "u".repeat(1024),
          x: 0,
          y: 100,
          text: "a".repeat(4000),
        }),
        ada.token,
      );
      assert.equal(edge.status, 201);
      assert.equal(edge.body.chat.urlId.length, 1024);
    });

    await t.step("bodies: too large, malformed", async () => {
      const huge = marker({ text: "a".repeat(70_000) });
      await refused(
        [413, "too_large"],
        "POST",
        "demo/image-chats",
        huge,
        ada.token,
      );
      await refused(
        [400, "bad_request"],
        "POST",
        "demo/image-chats",
        '{"urlId": "x",',
        ada.token,
      );
      await refused(
        [400, "bad_request"],
        "POST",
        "demo/image-chats",
        "",
        ada.token,
      );
    });

    await t.step("unknown tenant and unknown chat are 404", async () => {
      const missing = await api("GET", `nowhere/image-chats?urlId=${urlId}`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, "not_found");
      await refused(
        [404, "not_found"],
        "POST",
        "nowhere/image-chats",
        marker(),
        ada.token,
      );
      await refused([404, "not_found"], "POST", "nowhere/sessions", {
        name: "X",
      });
      const comments = await api("GET", "demo/chats/no-such-chat/comments");
      assert.equal(comments.status, 404);
      await refused(
        [404, "not_found"],
        "POST",
        "demo/chats/no-such-chat/comments",
        {
          text: "hi",
          broadcastId: "b",
        },
        ada.token,
      );
      await refused(
        [404, "not_found"],
        "DELETE",
        "demo/image-chats/no-such-chat",
        {
          broadcastId: "b",
        },
        ada.token,
      );
      await refused(
        [404, "not_found"],
        "PATCH",
        `demo/chats/${chat.id}/comments/nope`,
        {
          text: "x",
          broadcastId: "b",
        },
        ada.token,
      );
    });

    await t.step(
      "tokens: missing and invalid 401, other tenant 403",
      async () => {
        await refused(
          [401, "unauthorized"],
          "POST",
          "demo/image-chats",
          marker(),
        );
        await refused(
          [401, "unauthorized"],
          "POST",
          "demo/image-chats",
          marker(),
          "forged.token",
        );
        await refused(
          [401, "unauthorized"],
          "POST",
          `demo/chats/${chat.id}/comments`,
          {
            text: "hi",
            broadcastId: "b",
          },
        );
        const acme = await createSession(server.url, "acme", "Carol");
        await refused(
          [403, "forbidden"],
          "POST",
          "demo/image-chats",
          marker(),
          acme.token,
        );
        await refused(
          [403, "forbidden"],
          "DELETE",
          `demo/image-chats/${chat.id}`,
          {
            broadcastId: "b",
          },
          acme.token,
        );
      },
    );

    let reply!: Comment;
    await t.step("comments: add, reply, list, edit", async () => {
      const added = await api("POST", `demo/chats/${chat.id}/comments`, {
        text: "Second",
        broadcastId: "b",
      }, bob.token);
      assert.equal(added.status, 201);
      assert.deepEqual(Object.keys(added.body).sort(), ["comment", "seq"]);
      assert.equal(added.body.comment.author.name, "Bob");
      const replied = await api("POST", `demo/chats/${chat.id}/comments`, {
        text: "A reply",
        parentId: first.id,
        broadcastId: "b",
      }, bob.token);
      assert.equal(replied.status, 201);
      reply = replied.body.comment;
      assert.equal(reply.parentId, first.id);
      assert.equal(replied.body.seq, added.body.seq + 1);

      const edited = await api(
        "PATCH",
        `demo/chats/${chat.id}/comments/${reply.id}`,
        {
          text: "A reply, edited",
          broadcastId: "b",
        },
        bob.token,
      );
      assert.equal(edited.status, 200);
      assert.equal(edited.body.comment.text, "A reply, edited");
      assert.equal(typeof edited.body.comment.editedAt, "number");
      assert.equal(edited.body.seq, replied.body.seq + 1);

      const listed = await api("GET", `demo/chats/${chat.id}/comments`);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.comments.map((c: Comment) => c.text),
        ["Look at this", "Second", "A reply, edited"],
      );
      const chats = await api("GET", `demo/image-chats?urlId=${urlId}`);
      assert.equal(chats.body.chats[0].commentCount, 3);
    });

    await t.step("comment rules: one reply level, authors only", async () => {
      const path = `demo/chats/${chat.id}/comments`;
      await refused([400, "bad_request", "parentId"], "POST", path, {
        text: "deeper",
        parentId: reply.id,
        broadcastId: "b",
      }, ada.token);
      await refused([400, "bad_request", "parentId"], "POST", path, {
        text: "orphan",
        parentId: "no-such-comment",
        broadcastId: "b",
      }, ada.token);
      await refused(
        [400, "bad_request", "text"],
        "PATCH",
        `${path}/${reply.id}`,
        {
          text: "",
          broadcastId: "b",
        },
        bob.token,
      );
      await refused([403, "forbidden"], "PATCH", `${path}/${reply.id}`, {
        text: "not mine",
        broadcastId: "b",
      }, ada.token);
      await refused([403, "forbidden"], "DELETE", `${path}/${reply.id}`, {
        broadcastId: "b",
      }, ada.token);
      await refused([401, "unauthorized"], "DELETE", `${path}/${reply.id}`, {
        broadcastId: "b",
      });
      await refused(
        [403, "forbidden"],
        "DELETE",
        `demo/image-chats/${chat.id}`,
        {
          broadcastId: "b",
        },
        bob.token,
      );
    });

    await t.step("delete a comment", async () => {
      const removed = await api(
        "DELETE",
        `demo/chats/${chat.id}/comments/${reply.id}`,
        {
          broadcastId: "b",
        },
        bob.token,
      );
      assert.equal(removed.status, 200);
      assert.deepEqual(Object.keys(removed.body), ["seq"]);
      const listed = await api("GET", `demo/chats/${chat.id}/comments`);
      assert.equal(listed.body.comments.length, 2);
      const chats = await api("GET", `demo/image-chats?urlId=${urlId}`);
      assert.equal(chats.body.chats[0].commentCount, 2);
    });

    await t.step("delete a chat with its comments", async () => {
      const before = await api("GET", `demo/image-chats?urlId=${urlId}`);
      const removed = await api("DELETE", `demo/image-chats/${chat.id}`, {
        broadcastId: "b",
      }, ada.token);
      assert.equal(removed.status, 200);
      assert.deepEqual(removed.body, { seq: before.body.seq + 1 });
      const after = await api("GET", `demo/image-chats?urlId=${urlId}`);
      assert.deepEqual(after.body.chats, []);
      const comments = await api("GET", `demo/chats/${chat.id}/comments`);
      assert.equal(comments.status, 404);
      const stored = await storedEntries(
        server.kvPath,
        keys.comments("demo", chat.id),
      );
      assert.equal(stored.length, 0);
    });

    await t.step("text chats: create, list, comment, delete", async () => {
      const room = "api-test-text";
      const created = await api("POST", "demo/text-chats", {
        urlId: room,
        anchor,
        text: "Is it quick?",
        broadcastId: "b",
      }, ada.token);
      assert.equal(created.status, 201);
      const text: TextChat = created.body.chat;
      assert.deepEqual(text, {
        id: text.id,
        urlId: room,
        anchor,
        commentCount: 1,
        createdAt: text.createdAt,
        createdBy: ada.user,
      });
      await api("POST", "demo/image-chats", marker({ urlId: room }), ada.token);
      const listed = await api("GET", `demo/text-chats?urlId=${room}`);
      assert.deepEqual(listed.body, { urlId: room, seq: 2, chats: [text] });
      const images = await api("GET", `demo/image-chats?urlId=${room}`);
      assert.equal(images.body.chats.length, 1);
      assert.ok(images.body.chats.every((c: Chat) => "src" in c));

      const comment = await api("POST", `demo/chats/${text.id}/comments`, {
        text: "Very",
        broadcastId: "b",
      }, bob.token);
      assert.equal(comment.status, 201);
      await refused(
        [404, "not_found"],
        "DELETE",
        `demo/image-chats/${text.id}`,
        {
          broadcastId: "b",
        },
        ada.token,
      );
      const removed = await api("DELETE", `demo/text-chats/${text.id}`, {
        broadcastId: "b",
      }, ada.token);
      assert.deepEqual(removed.body, { seq: 4 });
      const after = await api("GET", `demo/text-chats?urlId=${room}`);
      assert.deepEqual(after.body.chats, []);
      assert.equal(
        (await api("GET", `demo/chats/${text.id}/comments`)).status,
        404,
      );
    });

    await t.step("anchor validation", async () => {
      const post = (over: Record<string, unknown>, field: string) =>
        refused([400, "bad_request", field], "POST", "demo/text-chats", {
          urlId: "api-test-text",
          anchor: { ...anchor, ...over },
          text: "hm",
          broadcastId: "b",
        }, ada.token);
      await post({ quote: "", start: 4, end: 4 }, "quote");
      await post({ quote: "q".repeat(5001), start: 0, end: 5001 }, "quote");
      await post({ prefix: "p".repeat(65) }, "prefix");
      await post({ suffix: "s".repeat(65) }, "suffix");
      await post({ start: 19, end: 19 }, "end");
      await post({ start: 20, end: 19 }, "end");
      await post({ start: 4, end: 20 }, "end");
      await post({ start: -1, end: 14 }, "start");
      await refused([400, "bad_request", "anchor"], "POST", "demo/text-chats", {
        urlId: "api-test-text",
        anchor: "quick brown fox",
        text: "hm",
        broadcastId: "b",
      }, ada.token);
    });

    await t.step("CORS preflight", async () => {
      const res = await fetch(`${server.url}/api/v1/demo/image-chats`, {
        method: "OPTIONS",
        headers: {
          origin: "https://blog.example",
          "access-control-request-method": "POST",
        },
      });
      await res.body?.cancel();
      assert.equal(res.status, 204);
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      assert.match(
        res.headers.get("access-control-allow-headers")!,
        /authorization/,
      );
    });

    await t.step(
      "a new-marker event for a 40-char comment is ≤ 600 bytes",
      async () => {
        const created = await api(
          "POST",
          "demo/image-chats",
          marker({
            urlId: "demo-image",
            x: 33.3333333,
            y: 66.6666667,
            text: "x".repeat(40),
          }),
          ada.token,
        );
        const [event] = await storedEvents(server.kvPath, "demo-image");
        assert.equal(event.type, "new-image-chat");
        assert.equal(event.seq, created.body.seq);
        const size = new TextEncoder().encode(JSON.stringify(event)).length;
        assert.ok(size <= 600, `${size} bytes`);
      },
    );

    await t.step("50 concurrent writers get 50 consecutive seqs", async () => {
      const room = "api-test-concurrency";
      const results = await Promise.all(
        Array.from(
          { length: 50 },
          (_, i) =>
            api(
              "POST",
              "demo/image-chats",
              marker({
                urlId: room,
                text: `writer ${i}`,
              }),
              i % 2 ? ada.token : bob.token,
            ),
        ),
      );
      assert.ok(results.every((r) => r.status === 201));
      const seqs = results.map((r) => r.body.seq).sort((a, b) => a - b);
      assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i + 1));
      const listed = await api("GET", `demo/image-chats?urlId=${room}`);
      assert.equal(listed.body.seq, 50);
      assert.deepEqual(
        listed.body.chats.map((c: Chat) => c.id).sort(),
        results.map((r) => r.body.chat.id).sort(),
      );
    });
  } finally {
    await server.stop();
  }
});

Deno.test("the event log keeps the configured number of events", async () => {
  const server = await startServer({
    env: { TACK_EVENT_LOG_MIN_EVENTS: "5", TACK_EVENT_LOG_MIN_AGE_MS: "0" },
  });
  try {
    const { token } = await createSession(server.url, "demo", "Ada");
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${server.url}/api/v1/demo/image-chats`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({
          urlId: "short-log",
          src: "/a.png",
          x: i,
          y: i,
          text: `${i}`,
          broadcastId: `b${i}`,
        }),
      });
      assert.equal(res.status, 201);
      await res.body?.cancel();
    }
    // Pruned on the 10th write down to the last 5; 11 and 12 came after.
    const seqs = (await storedEvents(server.kvPath, "short-log")).map((e) =>
      e.seq
    );
    assert.deepEqual(seqs, [6, 7, 8, 9, 10, 11, 12]);
  } finally {
    await server.stop();
  }
});
