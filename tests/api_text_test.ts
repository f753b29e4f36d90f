/**
 * The REST API of Collab Chat against a real server: text chats share the
 * store and the comment routes with image chats; anchors are validated.
 */

import assert from "node:assert/strict";
import { createSession, startServer } from "./_server.ts";
import { apiClient, marker } from "./_api.ts";
import type { Chat, TextChat } from "../utils/protocol.ts";

Deno.test("REST API: text chats", async (t) => {
  const server = await startServer();
  const { api, refused } = apiClient(server);
  try {
    const ada = await createSession(server.url, "demo", "Ada");
    const bob = await createSession(server.url, "demo", "Bob");
    const anchor = {
      quote: "quick brown fox",
      prefix: "The ",
      suffix: " jumps",
      start: 4,
      end: 19,
    };

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
      await api("POST", "demo/image-chats", marker(room), ada.token);
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
  } finally {
    await server.stop();
  }
});
