import assert from "node:assert/strict";
import type { ApiClient } from "../utils/api_client.ts";
import { keys } from "../utils/db_kv.ts";
import { signedInClient } from "./_api.ts";
import { startServer } from "./_server.ts";
import { closeAll, connectMany } from "./_ws_client.ts";

const TENANT = "demo";
const SOCKETS = 20;
const WRITES = 10;

/** Presence entries of a room, one per isolate holding viewers of it. */
async function viewersByIsolate(
  kvPath: string,
  urlId: string,
): Promise<number[]> {
  const kv = await Deno.openKv(kvPath);
  try {
    const counts: number[] = [];
    const prefix = keys.presence(TENANT, urlId);
    for await (const entry of kv.list<{ count: number }>({ prefix })) {
      counts.push(entry.value.count);
    }
    return counts;
  } finally {
    kv.close();
  }
}

// `deno serve --parallel` hands each connection to one of its isolates, so
// 20 sockets land on both; only KV ties the isolates together.
Deno.test("sockets on two isolates see every write and every viewer", async () => {
  const server = await startServer({ parallel: true, env: { DENO_JOBS: "2" } });
  const urlId = `parallel-${crypto.randomUUID()}`;
  const clients = await connectMany(SOCKETS, {
    baseUrl: server.url,
    tenant: TENANT,
    urlId,
  }).catch(async (err) => {
    await server.stop();
    throw err;
  });
  try {
    const perIsolate = await viewersByIsolate(server.kvPath, urlId);
    assert.equal(perIsolate.length, 2, `viewers by isolate: ${perIsolate}`);
    assert.equal(perIsolate[0] + perIsolate[1], SOCKETS);
    for (const client of clients) await client.waitForUsers(SOCKETS);

    // Two writers whose requests, too, land on either isolate.
    const writers: ApiClient[] = [];
    for (const name of ["Ada", "Grace"]) {
      writers.push(await signedInClient(server.url, TENANT, name));
    }
    const broadcastIds: string[] = [];
    for (let i = 0; i < WRITES; i++) {
      const broadcastId = crypto.randomUUID();
      broadcastIds.push(broadcastId);
      await writers[i % 2].createImageChat({
        urlId,
        src: "/sample.jpg",
        x: i,
        y: i,
        text: `marker ${i}`,
        broadcastId,
      });
    }

    const expectedSeqs = Array.from({ length: WRITES }, (_, i) => i + 1);
    for (const client of clients) {
      await client.waitForEvents(WRITES);
      assert.deepEqual(client.seqs(), expectedSeqs);
      assert.deepEqual(client.events().map((e) => e.broadcastId), broadcastIds);
    }
  } finally {
    await closeAll(clients);
    await server.stop();
  }
});
