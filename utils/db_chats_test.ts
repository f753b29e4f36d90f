import assert from "node:assert/strict";
import {
  addComment,
  createChat,
  deleteChat,
  deleteComment,
  editComment,
  listChats,
  listComments,
} from "./db_chats.ts";
import { closeKv, getKv, getRoomSeq, listEventsSince } from "./db.ts";
import { banUser, setRoomLocked } from "./db_moderation.ts";
import { type ErrorCode, type ImageChat } from "./protocol.ts";
import { ApiError } from "./validation.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const T = "demo";
const ada = { id: "u-ada", name: "Ada" };
const bob = { id: "u-bob", name: "Bob" };

function marker(urlId = "img") {
  return createChat(T, {
    urlId,
    src: "/a.png",
    x: 12.5,
    y: 80,
    text: "First!",
    broadcastId: "b1",
  }, ada);
}

function discussion(urlId = "img") {
  const anchor = {
    quote: "brown fox",
    prefix: "quick ",
    suffix: " jumps",
    start: 10,
    end: 19,
  };
  return createChat(T, { urlId, anchor, text: "Nice", broadcastId: "b2" }, bob);
}

function isApiError(code: ErrorCode, field?: string) {
  return (err: unknown) =>
    err instanceof ApiError && err.code === code && err.field === field;
}

async function dump() {
  const kv = await getKv();
  const entries = await Array.fromAsync(kv.list({ prefix: [] }));
  return entries.map((e) => [e.key, e.value, e.versionstamp]);
}

Deno.test("a new marker stores its chat and first comment", async () => {
  try {
    const { chat, comment, seq } = await marker();
    assert.equal(seq, 1);
    assert.deepEqual(Object.keys(chat), [
      "id",
      "urlId",
      "src",
      "x",
      "y",
      "commentCount",
      "createdAt",
      "createdBy",
    ]);
    assert.equal(chat.commentCount, 1);
    assert.deepEqual(chat.createdBy, ada);
    assert.deepEqual(comment, {
      id: comment.id,
      chatId: chat.id,
      parentId: null,
      text: "First!",
      author: ada,
      createdAt: chat.createdAt,
      editedAt: null,
    });
    const [event] = (await listEventsSince(T, "img", 0))!;
    assert.equal(event.type, "new-image-chat");
    assert.deepEqual(event.chat, chat);
    assert.deepEqual(event.comment, comment);
  } finally {
    await closeKv();
  }
});

Deno.test("image and text chats share a room but list by kind", async () => {
  try {
    const image = (await marker()).chat;
    const text = (await discussion()).chat;
    assert.equal("anchor" in text, true);
    const images = await listChats(T, "img", "image");
    const texts = await listChats(T, "img", "text");
    assert.deepEqual(images, { seq: 2, chats: [image] });
    assert.deepEqual(texts, { seq: 2, chats: [text] });
    const events = (await listEventsSince(T, "img", 0))!;
    assert.deepEqual(events.map((e) => e.type), [
      "new-image-chat",
      "new-text-chat",
    ]);
  } finally {
    await closeKv();
  }
});

Deno.test("comments: add, reply, edit, delete with counts and events", async () => {
  try {
    const { chat, comment: first } = await discussion();
    const reply = await addComment(T, chat.id, {
      text: "Reply",
      parentId: first.id,
      broadcastId: "b3",
    }, ada);
    assert.equal(reply.seq, 2);
    assert.equal(reply.comment.parentId, first.id);
    const edited = await editComment(T, chat.id, reply.comment.id, {
      text: "Reply, edited",
      broadcastId: "b4",
    }, ada);
    assert.equal(edited.comment.text, "Reply, edited");
    assert.equal(typeof edited.comment.editedAt, "number");
    const listed = await listComments(T, chat.id);
    assert.deepEqual(listed.map((c) => c.text), ["Nice", "Reply, edited"]);
    assert.equal((await listChats(T, "img", "text")).chats[0].commentCount, 2);

    const removed = await deleteComment(
      T,
      chat.id,
      reply.comment.id,
      "b5",
      ada,
    );
    assert.equal(removed.seq, 4);
    const events = (await listEventsSince(T, "img", 1))!;
    assert.deepEqual(events.map((e) => e.type), [
      "updated-text-chat",
      "updated-text-chat",
      "updated-text-chat",
    ]);
    assert.deepEqual(events[2].comment, { id: reply.comment.id });
    assert.equal((events[2].chat as { commentCount: number }).commentCount, 1);
    assert.equal(events[0].broadcastId, "b3");
  } finally {
    await closeKv();
  }
});

Deno.test("replies are one level deep and stay in their chat", async () => {
  try {
    const { chat, comment } = await marker();
    const other = await marker();
    const reply = await addComment(T, chat.id, {
      text: "r",
      parentId: comment.id,
      broadcastId: "b",
    }, bob);
    const before = await dump();
    for (const parentId of [reply.comment.id, other.comment.id, "missing"]) {
      await assert.rejects(
        addComment(T, chat.id, { text: "x", parentId, broadcastId: "b" }, bob),
        isApiError("bad_request", "parentId"),
      );
    }
    assert.deepEqual(await dump(), before);
  } finally {
    await closeKv();
  }
});

Deno.test("deleting a top-level comment takes its replies along", async () => {
  try {
    const { chat, comment } = await marker();
    for (const text of ["r1", "r2"]) {
      await addComment(T, chat.id, {
        text,
        parentId: comment.id,
        broadcastId: "b",
      }, bob);
    }
    await addComment(T, chat.id, {
      text: "top",
      parentId: null,
      broadcastId: "b",
    }, bob);
    await deleteComment(T, chat.id, comment.id, "b", ada);
    assert.deepEqual((await listComments(T, chat.id)).map((c) => c.text), [
      "top",
    ]);
    assert.equal((await listChats(T, "img", "image")).chats[0].commentCount, 1);
  } finally {
    await closeKv();
  }
});

Deno.test("only authors change comments, only creators delete chats", async () => {
  try {
    const { chat, comment } = await marker();
    const before = await dump();
    await assert.rejects(
      editComment(T, chat.id, comment.id, { text: "x", broadcastId: "b" }, bob),
      isApiError("forbidden"),
    );
    await assert.rejects(
      deleteComment(T, chat.id, comment.id, "b", bob),
      isApiError("forbidden"),
    );
    await assert.rejects(
      deleteChat(T, chat.id, "image", bob, "b"),
      isApiError("forbidden"),
    );
    assert.deepEqual(await dump(), before);
    // A moderator may delete any chat.
    const { seq } = await deleteChat(T, chat.id, "image", {
      ...bob,
      moderator: true,
    }, "b");
    assert.equal(seq, 2);
  } finally {
    await closeKv();
  }
});

Deno.test("moderators delete others' comments but never edit them", async () => {
  try {
    const { chat, comment } = await marker();
    const mod = { ...bob, moderator: true };
    await assert.rejects(
      editComment(T, chat.id, comment.id, { text: "x", broadcastId: "b" }, mod),
      isApiError("forbidden"),
    );
    await deleteComment(T, chat.id, comment.id, "b", mod);
    assert.deepEqual(await listComments(T, chat.id), []);
  } finally {
    await closeKv();
  }
});

Deno.test("banned authors and locked rooms change nothing", async () => {
  try {
    const { chat, comment } = await marker();
    await banUser(T, bob.id, "m");
    await setRoomLocked(T, "locked-room", true, "m");
    const before = await dump();
    const refusals = [
      () => marker("locked-room"),
      () =>
        createChat(T, {
          urlId: "img",
          src: "",
          x: 1,
          y: 1,
          text: "t",
          broadcastId: "b",
        }, bob),
      () =>
        addComment(
          T,
          chat.id,
          { text: "t", parentId: null, broadcastId: "b" },
          bob,
        ),
    ];
    for (const refusal of refusals) {
      await assert.rejects(refusal(), isApiError("forbidden"));
    }
    await banUser(T, ada.id, "m");
    await assert.rejects(
      editComment(T, chat.id, comment.id, { text: "x", broadcastId: "b" }, ada),
      isApiError("forbidden"),
    );
    await assert.rejects(
      deleteChat(T, chat.id, "image", ada, "b"),
      isApiError("forbidden"),
    );
    const afterBan = await dump();
    assert.equal(afterBan.length, before.length + 1, "only the ban was added");
    assert.equal(await getRoomSeq(T, "img"), 1);
    assert.equal(await getRoomSeq(T, "locked-room"), 0);
    // A moderator still writes in a locked room.
    const mod = { id: "m", name: "Mo", moderator: true };
    await createChat(T, {
      urlId: "locked-room",
      src: "",
      x: 1,
      y: 1,
      text: "t",
      broadcastId: "b",
    }, mod);
    assert.equal(await getRoomSeq(T, "locked-room"), 1);
  } finally {
    await closeKv();
  }
});

Deno.test("deleting a chat removes it and its comments", async () => {
  try {
    const { chat } = await marker();
    await addComment(T, chat.id, {
      text: "2",
      parentId: null,
      broadcastId: "b",
    }, bob);
    // The other kind's route does not find it.
    await assert.rejects(
      deleteChat(T, chat.id, "text", ada, "b"),
      isApiError("not_found"),
    );
    const { seq } = await deleteChat(T, chat.id, "image", ada, "gone");
    assert.equal(seq, 3);
    const [event] = (await listEventsSince(T, "img", 2))!;
    assert.deepEqual(event, {
      type: "deleted-image-chat",
      broadcastId: "gone",
      chat: { id: chat.id },
      urlId: "img",
      seq: 3,
    });
    assert.deepEqual(await listChats(T, "img", "image"), { seq: 3, chats: [] });
    await assert.rejects(listComments(T, chat.id), isApiError("not_found"));
    const kv = await getKv();
    const leftovers = await Array.fromAsync(kv.list({ prefix: ["comments"] }));
    assert.equal(leftovers.length, 0);
    await assert.rejects(
      addComment(
        T,
        chat.id,
        { text: "late", parentId: null, broadcastId: "b" },
        bob,
      ),
      isApiError("not_found"),
    );
    assert.equal(await getRoomSeq(T, "img"), 3);
  } finally {
    await closeKv();
  }
});

Deno.test("unknown chats and comments are not found", async () => {
  try {
    const huge = "x".repeat(3000);
    await assert.rejects(listComments(T, huge), isApiError("not_found"));
    const existing = (await marker()).chat;
    await assert.rejects(
      deleteComment(T, existing.id, huge, "b", ada),
      isApiError("not_found"),
    );
    const { chat } = await marker();
    await assert.rejects(listComments(T, "nope"), isApiError("not_found"));
    await assert.rejects(
      editComment(T, chat.id, "nope", { text: "x", broadcastId: "b" }, ada),
      isApiError("not_found"),
    );
    await assert.rejects(
      deleteComment(T, chat.id, "nope", "b", ada),
      isApiError("not_found"),
    );
    // Tenants do not see each other's chats.
    await assert.rejects(
      listComments("other", chat.id),
      isApiError("not_found"),
    );
  } finally {
    await closeKv();
  }
});

Deno.test("a new-marker event for a 40-character comment fits in 600 bytes", async () => {
  try {
    await createChat(T, {
      urlId: "demo-image",
      src: "/sample.jpg",
      x: 33.333333333333336,
      y: 66.66666666666667,
      text: "x".repeat(40),
      broadcastId: crypto.randomUUID(),
    }, { id: "01JD2Y4Q6M8N0P2R4T6V8X0Z2B", name: "Ada Lovelace" });
    const [event] = (await listEventsSince(T, "demo-image", 0))!;
    const { x, y } = event.chat as ImageChat;
    assert.deepEqual([x, y], [33.33, 66.67]);
    const bytes = new TextEncoder().encode(JSON.stringify(event)).length;
    assert.ok(bytes <= 600, `${bytes} bytes`);
  } finally {
    await closeKv();
  }
});
