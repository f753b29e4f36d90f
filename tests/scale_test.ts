import assert from "node:assert/strict";
import type { ApiClient } from "../utils/api_client.ts";
import { keys } from "../utils/db_kv.ts";
import { CLOSE_GOING_AWAY } from "../utils/protocol.ts";
import { UNLIMITED } from "./_limits.ts";
import { signedInClient } from "./_api.ts";
import { startServer, type TestServer } from "./_server.ts";
import { closeAll, connectMany, WsClient } from "./_ws_client.ts";

const TENANT = "demo";
const SOCKETS = 200;
const WRITES = 20;

async function writers(server: TestServer): Promise<ApiClient[]> {
  const clients: ApiClient[] = [];
  for (const name of ["Ada", "Grace"]) {
    clients.push(await signedInClient(server.url, TENANT, name));
  }
  return clients;
}

/** Writes `count` markers, alternating writers (and so, isolates). */
async function writeMarkers(api: ApiClient[], urlId: string, count: number) {
  for (let i = 0; i < count; i++) {
    await api[i % api.length].createImageChat({
      urlId,
      src: "/sample.jpg",
      x: i % 100,
      y: 50,
      text: `marker ${i}`,
      broadcastId: crypto.randomUUID(),
    });
  }
}

/** Sockets of a room per isolate, from the presence entries in KV. */
async function socketsByIsolate(kvPath: string, urlId: string) {
  const kv = await Deno.openKv(kvPath);
  try {
    const prefix = keys.presence(TENANT, urlId);
    const entries = await Array.fromAsync(
      kv.list<{ count: number }>({ prefix }),
    );
    return entries.map((entry) => entry.value.count);
  } finally {
    kv.close();
  }
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

Deno.test("200 sockets on two isolates get every write, count every viewer, and resync after a restart", async () => {
  const env = { ...UNLIMITED, DENO_JOBS: "2" };
  let server = await startServer({ parallel: true, env });
  const urlId = `scale-${crypto.randomUUID()}`;
  const options = { baseUrl: server.url, tenant: TENANT, urlId };
  let clients: WsClient[] = [];
  const kvDir = server.kvPath.slice(0, server.kvPath.lastIndexOf("/"));
  try {
    clients = await connectMany(SOCKETS, options);
    const perIsolate = await socketsByIsolate(server.kvPath, urlId);
    assert.equal(perIsolate.length, 2, `sockets by isolate: ${perIsolate}`);
    assert.equal(perIsolate[0] + perIsolate[1], SOCKETS);
    for (const client of clients) await client.waitForUsers(SOCKETS);

    await writeMarkers(await writers(server), urlId, WRITES);
    for (const client of clients) {
      await client.waitForEvents(WRITES);
      assert.deepEqual(client.seqs(), range(1, WRITES));
    }

    // A restart on the same data and port: every socket is told the
    // server is going away, and misses what is written meanwhile.
    const { kvPath, port } = server;
    const closing = server.stop({ keepKv: true });
    const closes = await Promise.all(clients.map((c) => c.closed()));
    await closing;
    assert.ok(closes.every((e) => e.code === CLOSE_GOING_AWAY));
    server = await startServer({ parallel: true, env, kvPath, port });
    await writeMarkers(await writers(server), urlId, WRITES);

    const resumed = clients.map((c) => c.seqs().at(-1)!);
    clients = [];
    for (const since of resumed) {
      const client = await WsClient.connect({ ...options, since });
      clients.push(client);
      assert.equal((await client.sync()).recovered, true);
    }
    for (const [i, client] of clients.entries()) {
      await client.waitForEvents(WRITES);
      assert.deepEqual(client.seqs(), range(resumed[i] + 1, 2 * WRITES));
    }
  } finally {
    await closeAll(clients);
    await server.stop();
    await Deno.remove(kvDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("a second process on the same KV file refuses to start", async () => {
  const server = await startServer();
  try {
    await assert.rejects(
      startServer({ kvPath: server.kvPath }),
      (err: Error) => {
        assert.match(err.message, /the process exited/);
        assert.match(err.message, /deno serve --parallel/);
        assert.match(err.message, /denokv/);
        return true;
      },
    );
    // The first one is unaffected.
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
  } finally {
    await server.stop();
  }
});
