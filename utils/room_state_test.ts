import assert from "node:assert/strict";
import type { Comment, ImageChat } from "./protocol.ts";
import {
  applyCommentChange,
  applyEventToChats,
  bumpCommentCount,
  changeOf,
  chatsFromSnapshot,
  isTombstone,
  replaceComment,
} from "./room_state.ts";

const by = { id: "u", name: "U" };
const chat = (id: string, commentCount = 1): ImageChat => ({
  id,
  urlId: "r",
  src: "/a.png",
  x: 1,
  y: 2,
  commentCount,
  createdAt: 0,
  createdBy: by,
});
const comment = (id: string, text = id): Comment => ({
  id,
  chatId: "c",
  parentId: null,
  text,
  author: by,
  createdAt: 0,
  editedAt: null,
});

Deno.test("changeOf: classifies both products' event types", () => {
  assert.equal(changeOf("new-image-chat"), "created");
  assert.equal(changeOf("new-text-chat"), "created");
  assert.equal(changeOf("image-chat-updated"), "updated");
  assert.equal(changeOf("updated-text-chat"), "updated");
  assert.equal(changeOf("deleted-image-chat"), "deleted");
  assert.equal(changeOf("deleted-text-chat"), "deleted");
});

Deno.test("isTombstone: only { id } alone", () => {
  assert.equal(isTombstone({ id: "a" }), true);
  assert.equal(isTombstone(chat("a")), false);
  assert.equal(isTombstone(comment("a")), false);
});

Deno.test("applyEventToChats: create, update in place, delete", () => {
  const base = { urlId: "r", broadcastId: "b" };
  let chats = chatsFromSnapshot([chat("a"), chat("b")]);
  chats = applyEventToChats(chats, {
    ...base,
    type: "new-image-chat",
    seq: 1,
    chat: chat("c"),
  });
  chats = applyEventToChats(chats, {
    ...base,
    type: "image-chat-updated",
    seq: 2,
    chat: chat("a", 5),
  });
  chats = applyEventToChats(chats, {
    ...base,
    type: "deleted-image-chat",
    seq: 3,
    chat: { id: "b" },
  });
  assert.deepEqual([...chats.keys()], ["a", "c"]);
  assert.equal(chats.get("a")?.commentCount, 5);
});

Deno.test("bumpCommentCount: never below zero, unknown chat unchanged", () => {
  const chats = chatsFromSnapshot([chat("a", 1)]);
  assert.equal(bumpCommentCount(chats, "a", -3).get("a")?.commentCount, 0);
  assert.equal(bumpCommentCount(chats, "zz", 1), chats);
});

Deno.test("applyCommentChange: add, replace in place, delete, idempotent", () => {
  let thread = applyCommentChange([comment("1")], comment("2"));
  thread = applyCommentChange(thread, comment("1", "edited"));
  assert.deepEqual(thread.map((c) => c.text), ["edited", "2"]);
  assert.deepEqual(applyCommentChange(thread, comment("2")), thread);
  assert.deepEqual(applyCommentChange(thread, { id: "1" }).map((c) => c.id), [
    "2",
  ]);
});

Deno.test("replaceComment: swaps the optimistic one and avoids duplicates", () => {
  const thread = [comment("1"), comment("tmp"), comment("3")];
  assert.deepEqual(
    replaceComment(thread, "tmp", comment("2")).map((c) => c.id),
    [
      "1",
      "2",
      "3",
    ],
  );
  // The stored comment already arrived by another path.
  const raced = [comment("1"), comment("tmp"), comment("2")];
  assert.deepEqual(
    replaceComment(raced, "tmp", comment("2")).map((c) => c.id),
    [
      "1",
      "2",
    ],
  );
});
