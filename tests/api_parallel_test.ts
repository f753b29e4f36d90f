/**
 * Writes spread over several isolates (`deno serve --parallel`) still get
 * one gap-free sequence per room: isolates race for the same seq entry and
 * the losers retry.
 */

import assert from "node:assert/strict";
import { createSession, startServer } from "./_server.ts";

Deno.test("concurrent writers on parallel isolates get consecutive seqs", async () => {
  const server = await startServer({ parallel: true });
  try {
    const { token } = await createSession(server.url, "demo", "Ada");
    const urlId = "parallel-writers";
    const statuses: number[] = [];
    const seqs: number[] = [];
    const ids: string[] = [];
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const res = await fetch(`${server.url}/api/v1/demo/image-chats`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({
          urlId,
          src: "/a.png",
          x: i,
          y: i,
          text: `writer ${i}`,
          broadcastId: crypto.randomUUID(),
        }),
      });
      statuses.push(res.status);
      const body = await res.json();
      seqs.push(body.seq);
      ids.push(body.chat.id);
    }));
    assert.ok(statuses.every((status) => status === 201), String(statuses));
    assert.deepEqual(
      seqs.sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    const res = await fetch(
      `${server.url}/api/v1/demo/image-chats?urlId=${urlId}`,
    );
    const listed = await res.json();
    assert.equal(listed.seq, 50);
    assert.deepEqual(
      listed.chats.map((chat: { id: string }) => chat.id).sort(),
      ids.sort(),
    );
  } finally {
    await server.stop();
  }
});
