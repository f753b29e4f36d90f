import assert from "node:assert/strict";
import type { ApiClient } from "../utils/api_client.ts";
import type { ImageChat, RoomEvent } from "../utils/protocol.ts";
import { signedInClient } from "./_api.ts";
import { startServer } from "./_server.ts";
import { closeAll, connectMany, WsClient } from "./_ws_client.ts";

const TENANT = "demo";

/** A REST client with its own anonymous identity. */
const writer = (baseUrl: string, name: string) =>
  signedInClient(baseUrl, TENANT, name);

function newRoom(): string {
  return `ws-test-${crypto.randomUUID()}`;
}

async function createMarker(
  api: ApiClient,
  urlId: string,
  broadcastId: string = crypto.randomUUID(),
): Promise<ImageChat> {
  const { chat } = await api.createImageChat({
    urlId,
    src: "/sample.jpg",
    x: 12.5,
    y: 40,
    text: "What is this?",
    broadcastId,
  });
  return chat;
}

/** `count` comments on one chat, one after another; returns their seqs. */
async function addComments(
  api: ApiClient,
  chatId: string,
  count: number,
): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const { seq } = await api.addComment(chatId, {
      text: `comment ${i}`,
      parentId: null,
      broadcastId: crypto.randomUUID(),
    });
    seqs.push(seq);
  }
  return seqs;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

Deno.test("WebSocket API", async (t) => {
  const server = await startServer();
  const baseUrl = server.url;
  const ada = await writer(baseUrl, "Ada");

  try {
    await t.step("three clients see every change in one order", async () => {
      const urlId = newRoom();
      const clients = await connectMany(3, { baseUrl, tenant: TENANT, urlId });
      try {
        const ids = range(1, 5).map(() => crypto.randomUUID());
        const chat = await createMarker(ada, urlId, ids[0]);
        const { comment } = await ada.addComment(chat.id, {
          text: "A second look",
          parentId: null,
          broadcastId: ids[1],
        });
        await ada.editComment(chat.id, comment.id, {
          text: "A second, closer look",
          broadcastId: ids[2],
        });
        await ada.deleteComment(chat.id, comment.id, ids[3]);
        await ada.deleteChat("image", chat.id, ids[4]);

        for (const client of clients) await client.waitForEvents(5);
        const [first, ...others] = clients.map((c) => c.events());
        for (const events of others) assert.deepEqual(events, first);
        assert.deepEqual(first.map((e) => e.type), [
          "new-image-chat",
          "image-chat-updated",
          "image-chat-updated",
          "image-chat-updated",
          "deleted-image-chat",
        ]);
        assert.deepEqual(first.map((e) => e.seq), [1, 2, 3, 4, 5]);
        assert.deepEqual(first.map((e) => e.broadcastId), ids);
        assert.equal(first[0].chat.id, chat.id);
        assert.equal(
          (first[2].comment as { text: string }).text,
          "A second, closer look",
        );
        assert.deepEqual(first[4].chat, { id: chat.id });
      } finally {
        await closeAll(clients);
      }
    });

    await t.step(
      "a reconnect with since gets exactly the missed events",
      async () => {
        const urlId = newRoom();
        const [watcher, leaver] = await connectMany(2, {
          baseUrl,
          tenant: TENANT,
          urlId,
        });
        let back: WsClient | null = null;
        try {
          const chat = await createMarker(ada, urlId);
          await leaver.waitForEvents(1);
          const since = leaver.seqs().at(-1)!;
          await leaver.close();

          const written = await addComments(ada, chat.id, 20);
          assert.deepEqual(written, range(since + 1, since + 20));
          back = await WsClient.connect({
            baseUrl,
            tenant: TENANT,
            urlId,
            since,
          });
          const sync = await back.sync();
          assert.equal(sync.recovered, true);
          assert.equal(sync.seq, since + 20);
          assert.equal(sync.chats, undefined);
          await back.waitForEvents(20);

          // Nothing more: the next event is the next seq, nothing repeated.
          await createMarker(ada, urlId);
          await back.waitForEvents(21);
          await watcher.waitForEvents(22);
          assert.deepEqual(back.seqs(), range(since + 1, since + 21));
          assert.deepEqual(back.events(), watcher.events().slice(1));
        } finally {
          await closeAll(back ? [watcher, back] : [watcher]);
        }
      },
    );

    await t.step("a since ahead of the room gets a snapshot", async () => {
      const urlId = newRoom();
      await createMarker(ada, urlId);
      const client = await WsClient.connect({
        baseUrl,
        tenant: TENANT,
        urlId,
        since: 7,
      });
      try {
        const sync = await client.sync();
        assert.equal(sync.recovered, false);
        assert.equal(sync.seq, 1);
        assert.equal(sync.chats?.length, 1);
      } finally {
        await client.close();
      }
    });

    await t.step("viewers are counted as they join and leave", async () => {
      const urlId = newRoom();
      const [first] = await connectMany(1, { baseUrl, tenant: TENANT, urlId });
      const second = await WsClient.connect({ baseUrl, tenant: TENANT, urlId });
      try {
        assert.equal((await first.sync()).users, 1);
        assert.equal((await second.sync()).users, 2);
        await first.waitForUsers(2);
        await second.close();
        await first.waitForUsers(1);
        const counts = first.messages.flatMap((m) =>
          m.type === "users" ? [m.count] : []
        );
        assert.deepEqual(counts, [2, 1]);
      } finally {
        await closeAll([first, second]);
      }
    });

    await t.step("a ping is answered with a pong", async () => {
      const [client] = await connectMany(1, {
        baseUrl,
        tenant: TENANT,
        urlId: newRoom(),
      });
      try {
        client.send(JSON.stringify({ type: "ping" }));
        await client.waitFor((m) => m.some((x) => x.type as string === "pong"));
      } finally {
        await client.close();
      }
    });

    await t.step(
      "a frame over 64 KiB closes the socket with 1009",
      async () => {
        const [client] = await connectMany(1, {
          baseUrl,
          tenant: TENANT,
          urlId: newRoom(),
        });
        client.send(JSON.stringify({ type: "ping", pad: "x".repeat(70_000) }));
        const closed = await client.closed();
        assert.equal(closed.code, 1009);
      },
    );

    await t.step("bad queries are refused before the upgrade", async () => {
      const cases: [string, number, string, string | undefined][] = [
        ["", 400, "bad_request", "urlId"],
        ["?urlId=", 400, "bad_request", "urlId"],
        [`?urlId=${"u".repeat(1_025)}`, 400, "bad_request", "urlId"],
        ["?urlId=a&since=-1", 400, "bad_request", "since"],
        ["?urlId=a&since=1.5", 400, "bad_request", "since"],
        ["?urlId=a&since=abc", 400, "bad_request", "since"],
        // Valid, but not a WebSocket upgrade.
        ["?urlId=a", 400, "bad_request", undefined],
      ];
      for (const [query, status, code, field] of cases) {
        const res = await fetch(`${baseUrl}/api/v1/${TENANT}/ws${query}`);
        const body = await res.json();
        assert.equal(res.status, status, query);
        assert.equal(body.error.code, code, query);
        assert.equal(body.error.field, field, query);
      }
      const res = await fetch(`${baseUrl}/api/v1/no-such-tenant/ws?urlId=a`);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error.code, "not_found");
      await assert.rejects(
        WsClient.connect({ baseUrl, tenant: TENANT, urlId: "a", since: -1 }),
      );
    });

    await t.step("events on the wire are the stored events", async () => {
      const urlId = newRoom();
      const [client] = await connectMany(1, { baseUrl, tenant: TENANT, urlId });
      try {
        const created = await ada.createImageChat({
          urlId,
          src: "/sample.jpg",
          x: 1,
          y: 99,
          text: "x".repeat(40),
          broadcastId: crypto.randomUUID(),
        });
        await client.waitForEvents(1);
        const [event] = client.events() as RoomEvent[];
        assert.deepEqual(event.chat, created.chat);
        assert.deepEqual(event.comment, created.comment);
        assert.equal(event.urlId, urlId);
      } finally {
        await client.close();
      }
    });
  } finally {
    await server.stop();
  }
});

// A log of 5 events with no minimum age: a few writes push events out of it.
Deno.test("a since older than the event log gets a snapshot", async () => {
  const server = await startServer({
    env: { TACK_EVENT_LOG_MIN_EVENTS: "5", TACK_EVENT_LOG_MIN_AGE_MS: "0" },
  });
  const baseUrl = server.url;
  const clients: WsClient[] = [];
  try {
    const ada = await writer(baseUrl, "Ada");
    const urlId = newRoom();
    const chat = await createMarker(ada, urlId);
    await addComments(ada, chat.id, 11);
    const connect = async (since: number) => {
      const client = await WsClient.connect({
        baseUrl,
        tenant: TENANT,
        urlId,
        since,
      });
      clients.push(client);
      return client;
    };

    const old = await connect(1);
    const sync = await old.sync();
    const listed = await ada.listChats("image", urlId);
    assert.equal(sync.recovered, false);
    assert.equal(sync.seq, 12);
    assert.deepEqual(sync.chats, listed.chats);
    assert.equal(listed.chats[0].commentCount, 12);

    // The last few events are still in the log.
    const recent = await connect(10);
    assert.equal((await recent.sync()).recovered, true);
    await recent.waitForEvents(2);
    assert.deepEqual(recent.seqs(), [11, 12]);
  } finally {
    await closeAll(clients);
    await server.stop();
  }
});
