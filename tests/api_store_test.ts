/**
 * What the store guarantees, seen through the API of a real server: lean
 * events, one gap-free seq per room under concurrent writes, and an event log
 * pruned to its configured size.
 */

import assert from "node:assert/strict";
import { createSession, startServer } from "./_server.ts";
import { apiClient, marker, storedEvents } from "./_api.ts";
import type { Chat } from "../utils/protocol.ts";

Deno.test("REST API: events and seqs", async (t) => {
  const server = await startServer();
  const { api } = apiClient(server);
  try {
    const ada = await createSession(server.url, "demo", "Ada");
    const bob = await createSession(server.url, "demo", "Bob");

    await t.step(
      "a new-marker event for a 40-char comment is ≤ 600 bytes",
      async () => {
        const created = await api(
          "POST",
          "demo/image-chats",
          marker("demo-image", {
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
              marker(room, { text: `writer ${i}` }),
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
  const { api } = apiClient(server);
  try {
    const { token } = await createSession(server.url, "demo", "Ada");
    for (let i = 0; i < 12; i++) {
      const res = await api("POST", "demo/image-chats", marker("short"), token);
      assert.equal(res.status, 201);
    }
    // Pruned on the 10th write down to the last 5; 11 and 12 came after.
    const events = await storedEvents(server.kvPath, "short");
    assert.deepEqual(events.map((e) => e.seq), [6, 7, 8, 9, 10, 11, 12]);
  } finally {
    await server.stop();
  }
});
