/**
 * The REST API of Image Chat against a real server: sessions, markers and
 * comments. Every validation rule answers with its status and code and
 * leaves the store untouched; the happy paths answer with the documented
 * shapes.
 */

import assert from "node:assert/strict";
import { createSession, startServer } from "./_server.ts";
import { apiClient, marker, storedEntries } from "./_api.ts";
import { keys } from "../utils/db_kv.ts";
import type { Comment, ImageChat } from "../utils/protocol.ts";

Deno.test("REST API: sessions, image chats, comments", async (t) => {
  const server = await startServer({ env: { TACK_TENANTS: "acme" } });
  const { api, refused } = apiClient(server);
  try {
    const ada = await createSession(server.url, "demo", "Ada");
    const bob = await createSession(server.url, "demo", "Bob");
    const urlId = "api-test-image";
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
        marker(urlId),
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
      await post(marker(urlId, { x: -0.01 }), "x");
      await post(marker(urlId, { x: 100.01 }), "x");
      await post(marker(urlId, { y: 101 }), "y");
      await post(marker(urlId, { y: -5 }), "y");
      await post(marker(urlId, { x: "50" }), "x");
      await post(marker(urlId, { x: "NaN" }), "x");
      await post(marker(urlId, { y: null }), "y");
      const raw = JSON.stringify(marker(urlId)).replace('"x":25', '"x":1e999');
      assert.match(raw, /1e999/);
      await post(raw, "x");
      await post(marker(urlId, { text: "" }), "text");
      await post(marker(urlId, { text: " \n\t " }), "text");
      await post(marker(urlId, { text: "a".repeat(4001) }), "text");
      await post(marker(urlId, { urlId: "" }), "urlId");
      await post(marker(urlId, { urlId: "u".repeat(1025) }), "urlId");
      await post([marker(urlId)], "body");
    });

    await t.step("limits themselves are accepted", async () => {
      const edge = await api(
        "POST",
        "demo/image-chats",
        marker(urlId, {
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
      const huge = marker(urlId, { text: "a".repeat(70_000) });
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
        marker(urlId),
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
          marker(urlId),
        );
        await refused(
          [401, "unauthorized"],
          "POST",
          "demo/image-chats",
          marker(urlId),
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
          marker(urlId),
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

    await t.step("CORS preflight: the tenant's origins only", async () => {
      const preflight = (origin: string) =>
        fetch(`${server.url}/api/v1/demo/image-chats`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST" },
        });
      const res = await preflight("http://localhost:5173");
      await res.body?.cancel();
      assert.equal(res.status, 204);
      assert.equal(
        res.headers.get("access-control-allow-origin"),
        "http://localhost:5173",
      );
      assert.match(
        res.headers.get("access-control-allow-headers")!,
        /authorization/,
      );
      const foreign = await preflight("https://blog.example");
      await foreign.body?.cancel();
      assert.equal(foreign.headers.get("access-control-allow-origin"), null);
    });
  } finally {
    await server.stop();
  }
});
