import assert from "node:assert/strict";
import { UNLIMITED } from "./_limits.ts";
import { signedInClient } from "./_api.ts";
import { startServer } from "./_server.ts";
import { WsClient } from "./_ws_client.ts";

const TENANT = "demo";
const BURST = 500;
const CONCURRENT_WRITERS = 20;
/** The batching window, at the longest the service allows. */
const BATCH_MS = 20;

Deno.test("batching", async (t) => {
  const server = await startServer({
    env: { ...UNLIMITED, TACK_WS_BATCH_MS: String(BATCH_MS) },
  });
  const api = await signedInClient(server.url, TENANT, "Ada");
  const newMarker = (urlId: string, i: number) =>
    api.createImageChat({
      urlId,
      src: "/sample.jpg",
      x: i % 100,
      y: 10,
      text: `marker ${i}`,
      broadcastId: crypto.randomUUID(),
    });
  /** Runs `body` with a client of a new room, synced, and closes it. */
  const inNewRoom = async (
    name: string,
    body: (client: WsClient, urlId: string) => Promise<void>,
  ) => {
    const urlId = `${name}-${crypto.randomUUID()}`;
    const client = await WsClient.connect({
      baseUrl: server.url,
      tenant: TENANT,
      urlId,
    });
    try {
      await client.sync();
      await body(client, urlId);
    } finally {
      await client.close();
    }
  };
  try {
    await t.step(
      "a burst arrives in far fewer frames than events, in order, none lost",
      () =>
        inNewRoom("burst", async (client, urlId) => {
          const framesBefore = client.frames;
          const started = performance.now();
          let next = 0;
          await Promise.all(
            Array.from({ length: CONCURRENT_WRITERS }, async () => {
              while (next < BURST) await newMarker(urlId, next++);
            }),
          );
          await client.waitForEvents(BURST);
          const elapsed = performance.now() - started;
          const expected = Array.from({ length: BURST }, (_, i) => i + 1);
          assert.deepEqual(client.seqs(), expected);
          const frames = client.rawFrames.slice(framesBefore);
          const withEvents = frames.filter((f) => f.includes('"seq"'));
          // At most one frame per window, whatever the pace of the writes…
          assert.ok(
            withEvents.length <= elapsed / BATCH_MS + 2,
            `${withEvents.length} frames in ${elapsed} ms`,
          );
          // …which is far fewer frames than events.
          assert.ok(
            withEvents.length <= BURST / 2,
            `${withEvents.length} frames for ${BURST} events`,
          );
        }),
    );

    await t.step(
      "a single event in a quiet room goes out as a lone object",
      () =>
        inNewRoom("quiet", async (client, urlId) => {
          const framesBefore = client.frames;
          await newMarker(urlId, 0);
          await client.waitForEvents(1);
          const frames = client.rawFrames.slice(framesBefore);
          const eventFrame = frames.find((f) => f.includes('"seq"'))!;
          assert.equal(Array.isArray(JSON.parse(eventFrame)), false);
          assert.equal(JSON.parse(eventFrame).seq, 1);
        }),
    );
  } finally {
    await server.stop();
  }
});
