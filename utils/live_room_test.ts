import assert from "node:assert/strict";
import { ApiClient } from "./api_client.ts";
import { Identity } from "./identity.ts";
import { LiveRoom, OFFLINE_MESSAGE } from "./live_room.ts";
import { FakeNetwork, FakeSocket, FakeTimers } from "../tests/_live_fakes.ts";
import {
  CLOSE_GOING_AWAY,
  CLOSE_RESYNC,
  type Comment,
  type ImageChat,
  type RoomEvent,
  type TextChat,
} from "./protocol.ts";

type Route = (body: Record<string, unknown>) => Response | Promise<Response>;

const json = (data: unknown, status = 200) =>
  new Response(JSON.stringify(data), { status });

const ADA = { id: "u-ada", name: "Ada" };
const BO = { id: "u-bo", name: "Bo" };

function chat(id: string, commentCount = 1, by = BO): ImageChat {
  return {
    id,
    urlId: "img",
    src: "/a.png",
    x: 10,
    y: 20,
    commentCount,
    createdAt: 1,
    createdBy: by,
  };
}

function comment(id: string, chatId: string, text = "hi", by = BO): Comment {
  return {
    id,
    chatId,
    parentId: null,
    text,
    author: by,
    createdAt: 1,
    editedAt: null,
  };
}

function setup(routes: Record<string, Route> = {}, initialSeq?: number) {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const network = new FakeNetwork();
  const requests: { key: string; body: Record<string, unknown> }[] = [];
  const api = new ApiClient({
    tenant: "demo",
    getToken: () => "tok",
    fetch: async (input, init) => {
      const path = new URL(String(input), "http://x").pathname;
      const key = `${init?.method ?? "GET"} ${path}`;
      const body = init?.body ? JSON.parse(String(init.body)) : {};
      requests.push({ key, body });
      const route = routes[key];
      if (!route) throw new TypeError("Failed to fetch");
      return await route(body);
    },
  });
  const identity = new Identity("demo", null);
  const room = new LiveRoom({
    api,
    identity,
    urlId: "img",
    kind: "image",
    initialSeq,
    pageUrl: "https://tack.example/demo/image",
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    connectivity: network,
    timers,
    random: () => 0.5,
  });
  const signIn = () =>
    identity.identify(
      new ApiClient({
        tenant: "demo",
        fetch: () => Promise.resolve(json({ token: "tok", user: ADA }, 201)),
      }),
      "Ada",
    );
  const last = () => sockets[sockets.length - 1];
  return { room, sockets, last, timers, network, requests, signIn };
}

function event(
  seq: number,
  type: RoomEvent["type"],
  chatValue: RoomEvent["chat"],
  extra: Partial<RoomEvent> = {},
): RoomEvent {
  return {
    type,
    urlId: "img",
    seq,
    broadcastId: `other-${seq}`,
    chat: chatValue,
    ...extra,
  };
}

function sync(seq: number, chats?: (ImageChat | TextChat)[], users = 1) {
  return chats
    ? { type: "sync", urlId: "img", seq, recovered: false, users, chats }
    : { type: "sync", urlId: "img", seq, recovered: true, users };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

// ---------------------------------------------------------------------------

Deno.test("LiveRoom: a snapshot sync replaces chats and keeps only its kind", () => {
  const { room, last } = setup();
  room.connect();
  assert.equal(room.status.value, "connecting");
  assert.equal(last().url, "wss://tack.example/api/v1/demo/ws?urlId=img");
  const textChat: TextChat = {
    id: "t1",
    urlId: "img",
    commentCount: 1,
    createdAt: 1,
    createdBy: BO,
    anchor: { quote: "q", prefix: "", suffix: "", start: 0, end: 1 },
  };
  last().receive(sync(4, [chat("c1"), textChat], 3));
  assert.equal(room.status.value, "live");
  assert.deepEqual([...room.chats.value.keys()], ["c1"]);
  assert.equal(room.seq.value, 4);
  assert.equal(room.users.value, 3);
  room.close();
});

Deno.test("LiveRoom: events apply in order; array frames and users messages too", () => {
  const { room, last } = setup();
  room.connect();
  last().receive(sync(0, []));
  last().receive([
    event(1, "new-image-chat", chat("c1")),
    event(2, "new-image-chat", chat("c2")),
    { type: "users", urlId: "img", count: 2 },
  ]);
  last().receive(
    event(3, "image-chat-updated", chat("c1", 2), {
      comment: comment("m2", "c1"),
    }),
  );
  last().receive(event(4, "deleted-image-chat", { id: "c2" }));
  assert.deepEqual([...room.chats.value.values()], [chat("c1", 2)]);
  assert.equal(room.seq.value, 4);
  assert.equal(room.users.value, 2);
  // A replayed event is not applied twice.
  last().receive(event(2, "new-image-chat", chat("c2")));
  assert.equal(room.chats.value.has("c2"), false);
  room.close();
});

Deno.test("LiveRoom: reconnects with backoff and resumes with since", () => {
  const { room, sockets, last, timers } = setup();
  room.connect();
  last().receive(sync(0, []));
  last().receive(event(1, "new-image-chat", chat("c1")));
  last().close(); // The server went away.
  assert.equal(room.status.value, "reconnecting");
  const [retry] = [...timers.pending.values()].filter((t) => t.ms !== 25_000);
  assert.equal(retry.ms, 250); // Half (random 0.5) of the first 500 ms ceiling.
  timers.fireAll();
  assert.equal(sockets.length, 2);
  assert.match(last().url, /[?&]since=1$/);
  last().receive(sync(2));
  last().receive(event(2, "new-image-chat", chat("c2")));
  assert.equal(room.status.value, "live");
  assert.deepEqual([...room.chats.value.keys()], ["c1", "c2"]);
  room.close();
});

Deno.test("LiveRoom: a resync or going-away close reconnects at once with since", () => {
  const { room, sockets, last, timers } = setup();
  room.connect();
  last().receive(sync(0, []));
  last().receive(event(1, "new-image-chat", chat("c1")));
  for (const [i, code] of [CLOSE_RESYNC, CLOSE_GOING_AWAY].entries()) {
    last().closeWith(code);
    assert.equal(room.status.value, "reconnecting");
    const retries = [...timers.pending.values()].filter((t) => t.ms !== 25_000);
    assert.deepEqual(retries.map((t) => t.ms), [0]);
    timers.fireAll();
    assert.equal(sockets.length, i + 2);
    assert.match(last().url, /[?&]since=1$/);
    last().receive(sync(1));
  }
  room.close();
});

Deno.test("LiveRoom: the backoff ceiling grows with each failed attempt", () => {
  const { room, last, timers } = setup();
  room.connect();
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    last().close();
    delays.push(...[...timers.pending.values()].map((t) => t.ms));
    timers.fireAll();
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
  // Two failed connects in a row: the server counts as unreachable.
  assert.equal(room.status.value, "offline");
  room.close();
});

Deno.test("LiveRoom: its own broadcast is ignored but still advances seq", async () => {
  const { room, last, requests, signIn } = setup({
    "POST /api/v1/demo/chats/c1/comments": (body) =>
      json(
        { comment: comment("m2", "c1", body.text as string, ADA), seq: 2 },
        201,
      ),
    "GET /api/v1/demo/chats/c1/comments": () =>
      json({ comments: [comment("m1", "c1")] }),
  });
  room.connect();
  last().receive(sync(1, [chat("c1")]));
  const thread = room.thread("c1");
  const list = () => thread.comments.value?.map((c) => c.id);
  await settle();
  await signIn();
  const written = room.addComment("c1", "mine");
  assert.equal(room.chats.value.get("c1")?.commentCount, 2); // Optimistic.
  await written;
  const broadcastId = requests.at(-1)!.body.broadcastId as string;
  assert.match(broadcastId, /^[0-9a-f-]{36}$/);
  last().receive(
    event(2, "image-chat-updated", chat("c1", 2), {
      broadcastId,
      comment: comment("m2", "c1", "mine", ADA),
    }),
  );
  assert.equal(room.seq.value, 2);
  assert.equal(room.chats.value.get("c1")?.commentCount, 2);
  assert.deepEqual(list(), ["m1", "m2"]); // Not appended a second time.
  room.close();
});

Deno.test("LiveRoom: create is optimistic and then uses the stored chat", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const { room, last, signIn } = setup({
    "POST /api/v1/demo/image-chats": async () => {
      await gate;
      return json({
        chat: chat("c9", 1, ADA),
        comment: comment("m1", "c9", "first", ADA),
        seq: 1,
      }, 201);
    },
  });
  room.connect();
  last().receive(sync(0, []));
  await signIn();
  const created = room.createChat({ src: "/a.png", x: 10, y: 20 }, "first");
  const [pendingId] = room.chats.value.keys();
  assert.match(pendingId, /^pending:/);
  assert.equal(room.chats.value.get(pendingId)?.createdBy.name, "Ada");
  release();
  assert.equal((await created).id, "c9");
  assert.deepEqual([...room.chats.value.keys()], ["c9"]);
  assert.deepEqual(room.thread("c9").comments.value?.map((c) => c.text), [
    "first",
  ]);
  room.close();
});

Deno.test("LiveRoom: a refused write rolls back and rethrows the server's message", async () => {
  const { room, last, signIn } = setup({
    "GET /api/v1/demo/chats/c1/comments": () =>
      json({ comments: [comment("m1", "c1")] }),
    "POST /api/v1/demo/chats/c1/comments": () =>
      json({
        error: { code: "bad_request", message: '"text" must not be empty.' },
      }, 400),
    "DELETE /api/v1/demo/image-chats/c1": () =>
      json({ error: { code: "forbidden", message: "Not your marker." } }, 403),
  });
  room.connect();
  last().receive(sync(1, [chat("c1")]));
  await signIn();
  const thread = room.thread("c1");
  await settle();
  assert.deepEqual(thread.comments.value?.map((c) => c.id), ["m1"]);
  await assert.rejects(room.addComment("c1", " "), {
    message: '"text" must not be empty.',
  });
  assert.deepEqual(thread.comments.value?.map((c) => c.id), ["m1"]);
  assert.equal(room.chats.value.get("c1")?.commentCount, 1);
  await assert.rejects(room.deleteChat("c1"), { message: "Not your marker." });
  assert.equal(room.chats.value.get("c1")?.commentCount, 1);
  room.close();
});

Deno.test("LiveRoom: offline, markers stay and writes fail at once without a request", async () => {
  const { room, sockets, last, network, requests, signIn } = setup();
  room.connect();
  last().receive(sync(3, [chat("c1")]));
  await signIn();
  network.set(false);
  assert.equal(room.status.value, "offline");
  assert.equal(last().closed, true);
  assert.deepEqual([...room.chats.value.keys()], ["c1"]);
  const before = requests.length;
  await assert.rejects(room.addComment("c1", "hello"), {
    message: OFFLINE_MESSAGE,
  });
  await assert.rejects(room.identify("Ada"), { message: OFFLINE_MESSAGE });
  assert.equal(requests.length, before); // Never queued, never sent.
  network.set(true);
  assert.equal(sockets.length, 2);
  assert.match(last().url, /since=3$/);
  last().receive(sync(4));
  last().receive(event(4, "new-image-chat", chat("c2")));
  assert.equal(room.status.value, "live");
  assert.deepEqual([...room.chats.value.keys()], ["c1", "c2"]);
  room.close();
});

Deno.test("LiveRoom: a non-recovered resync replaces state and reloads open threads", async () => {
  let served = [comment("m1", "c1")];
  const { room, last, timers } = setup({
    "GET /api/v1/demo/chats/c1/comments": () => json({ comments: served }),
  }, 5);
  room.connect();
  assert.match(last().url, /since=5$/);
  last().receive(sync(5));
  const thread = room.thread("c1");
  await settle();
  assert.equal(thread.comments.value?.length, 1);
  last().close();
  timers.fireAll();
  served = [comment("m1", "c1"), comment("m2", "c1")];
  last().receive(sync(40, [chat("c1", 2)]));
  await settle();
  assert.equal(room.seq.value, 40);
  assert.deepEqual(thread.comments.value?.map((c) => c.id), ["m1", "m2"]);
  room.close();
});

Deno.test("LiveRoom: live comment changes update a loaded thread", async () => {
  const { room, last } = setup({
    "GET /api/v1/demo/chats/c1/comments": () =>
      json({ comments: [comment("m1", "c1")] }),
  });
  room.connect();
  last().receive(sync(1, [chat("c1")]));
  const thread = room.thread("c1");
  await settle();
  last().receive(event(2, "image-chat-updated", chat("c1", 2), {
    comment: comment("m2", "c1", "new"),
  }));
  last().receive(event(3, "image-chat-updated", chat("c1", 2), {
    comment: { ...comment("m1", "c1", "edited"), editedAt: 5 },
  }));
  last().receive(event(4, "image-chat-updated", chat("c1", 1), {
    comment: { id: "m2" },
  }));
  assert.deepEqual(thread.comments.value?.map((c) => c.text), ["edited"]);
  room.close();
});

Deno.test("LiveRoom: a gap in seqs triggers a resume from the last seq", () => {
  const { room, sockets, last } = setup();
  room.connect();
  last().receive(sync(2, []));
  last().receive(event(5, "new-image-chat", chat("c5")));
  assert.equal(sockets.length, 2);
  assert.equal(sockets[0].closed, true);
  assert.match(last().url, /since=2$/);
  assert.equal(room.chats.value.size, 0);
  room.close();
});

Deno.test("LiveRoom: a silent socket is replaced after a missed pong", () => {
  const { room, sockets, last, timers } = setup();
  room.connect();
  last().receive(sync(0, []));
  timers.fireAll(); // First beat: a ping goes out.
  assert.deepEqual(last().sent, [{ type: "ping" }]);
  timers.fireAll(); // No answer by the next beat: the socket is dropped.
  assert.equal(sockets[0].closed, true);
  assert.equal(room.status.value, "reconnecting");
  room.close();
});

Deno.test("LiveRoom: another's event from before my pending write keeps my change", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const { room, last, signIn } = setup({
    "POST /api/v1/demo/chats/c1/comments": async () => {
      await gate;
      return json({ comment: comment("m9", "c1", "mine", ADA), seq: 3 }, 201);
    },
    "DELETE /api/v1/demo/image-chats/c2": async () => {
      await gate;
      return json({ seq: 4 });
    },
  });
  room.connect();
  last().receive(sync(1, [chat("c1"), chat("c2", 1, ADA)]));
  await signIn();
  const adding = room.addComment("c1", "mine");
  const deleting = room.deleteChat("c2");
  // Bo's comment (seq 2) committed before mine: its count lacks mine.
  last().receive(event(2, "image-chat-updated", chat("c1", 2)));
  assert.equal(room.chats.value.get("c1")?.commentCount, 3);
  // An update of c2 from before my delete must not bring it back.
  last().receive(event(3, "image-chat-updated", chat("c2", 2, ADA)));
  assert.equal(room.chats.value.has("c2"), false);
  release();
  await Promise.all([adding, deleting]);
  assert.equal(room.chats.value.get("c1")?.commentCount, 3);
  room.close();
});
