/**
 * Writes spread over several isolates (`deno serve --parallel`) still get
 * one gap-free sequence per room: isolates race for the same seq entry and
 * the losers retry.
 */

import assert from "node:assert/strict";
import { createSession, startServer } from "./_server.ts";
import { apiClient, marker } from "./_api.ts";

Deno.test("concurrent writers on parallel isolates get consecutive seqs", async () => {
  const server = await startServer({ parallel: true });
  const { api } = apiClient(server);
  try {
    const { token } = await createSession(server.url, "demo", "Ada");
    const urlId = "parallel-writers";
    const results = await Promise.all(
      Array.from(
        { length: 50 },
        (_, i) =>
          api("POST", "demo/image-chats", marker(urlId, { x: i }), token),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      results.map(() => 201),
    );
    assert.deepEqual(
      results.map((r) => r.body.seq).sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    const listed = await api("GET", `demo/image-chats?urlId=${urlId}`);
    assert.equal(listed.body.seq, 50);
    assert.deepEqual(
      listed.body.chats.map((chat: { id: string }) => chat.id).sort(),
      results.map((r) => r.body.chat.id).sort(),
    );
  } finally {
    await server.stop();
  }
});
