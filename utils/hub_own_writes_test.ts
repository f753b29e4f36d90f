import assert from "node:assert/strict";
import { Hub } from "./hub.ts";
import type { RoomEvent, ServerMessage } from "./protocol.ts";
import { FakeSocket, FakeStore, TENANT, URL_ID } from "../tests/_hub_fakes.ts";

// The isolate that commits a write hands its events to the hub, which fans
// them out without reading them back; anything it was not handed is read.

function seqsOf(messages: ServerMessage[]): number[] {
  return messages.flatMap((m) =>
    "seq" in m && m.type !== "sync" ? [m.seq] : []
  );
}

async function withHub(
  fn: (store: FakeStore, hub: Hub) => Promise<void>,
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  const store = new FakeStore(kv);
  const errors: unknown[] = [];
  const hub = new Hub({ store, onError: (e) => errors.push(e), log: () => {} });
  try {
    await fn(store, hub);
    assert.deepEqual(errors, []);
  } finally {
    await hub.closeAll();
    kv.close();
  }
}

/** Joins two sockets and waits for their sync and the room's first read. */
async function twoSynced(store: FakeStore, hub: Hub): Promise<FakeSocket[]> {
  const sockets = [new FakeSocket(), new FakeSocket()];
  for (const socket of sockets) {
    hub.join(socket, { tenant: TENANT, urlId: URL_ID, since: null });
    await socket.waitFor((m) => m.some((x) => x.type === "sync"));
  }
  // A write the hub learns of from the watch alone: the room reads its log
  // once, and knows where it stands from then on.
  await store.createChat("other-isolate");
  for (const socket of sockets) {
    await socket.waitFor((m) => seqsOf(m).length === 1);
  }
  return sockets;
}

/** Commits an event as this isolate's store does, and tells the hub. */
async function commitHere(store: FakeStore, hub: Hub): Promise<RoomEvent> {
  const event = await store.createChat("here");
  hub.poke(TENANT, URL_ID, [event]);
  return event;
}

Deno.test("this isolate's commits are fanned out without reading the log", async () => {
  await withHub(async (store, hub) => {
    const sockets = await twoSynced(store, hub);
    const reads = store.listCalls;
    const written = [
      await commitHere(store, hub),
      await commitHere(store, hub),
    ];
    for (const socket of sockets) {
      const messages = await socket.waitFor((m) => seqsOf(m).length === 3);
      assert.deepEqual(messages.slice(-2), written);
    }
    // The watch's notifications of these commits find every socket caught
    // up, and read nothing either.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(store.listCalls, reads);
    assert.deepEqual(seqsOf(sockets[0].messages()), [1, 2, 3]);
  });
});

Deno.test("an event this isolate was not handed is read from the log, in order", async () => {
  await withHub(async (store, hub) => {
    const sockets = await twoSynced(store, hub);
    const reads = store.listCalls;
    // Another isolate commits seq 2; its watch notification has not come
    // yet when this isolate commits seq 3 and hands only that to the hub.
    await store.createChat("other", { notify: false });
    const mine = await store.createChat("mine", { notify: false });
    hub.poke(TENANT, URL_ID, [mine]);
    for (const socket of sockets) {
      await socket.waitFor((m) => seqsOf(m).length === 3);
      assert.deepEqual(seqsOf(socket.messages()), [1, 2, 3]);
    }
    assert.equal(store.listCalls, reads + 1, "one read fills the gap");
  });
});

Deno.test("a poke without events reads the log", async () => {
  await withHub(async (store, hub) => {
    const sockets = await twoSynced(store, hub);
    await store.createChat("unannounced", { notify: false });
    hub.poke(TENANT, URL_ID);
    for (const socket of sockets) {
      await socket.waitFor((m) => seqsOf(m).length === 2);
    }
  });
});
