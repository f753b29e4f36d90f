/**
 * Chats (image markers and text discussions) and their comments. Every change
 * goes through `writeRoom`, so it bumps the room's seq and logs its event in
 * the same atomic operation that stores it.
 *
 * Every write is also refused for a banned author, and in a locked room for
 * anyone but a moderator (`db_moderation.ts`), within the same atomic write.
 *
 * Chats are stored exactly as they go on the wire: an image chat has `src`,
 * `x` and `y`, a text chat has `anchor`, and nothing else tells them apart.
 *
 * @module
 */

import { monotonicFactory } from "ulid";
import { deleteKeys, getKv, keys } from "./db_kv.ts";
import { getRoomSnapshot, writeRoom } from "./db.ts";
import { checkWriteAllowed, type Writer } from "./db_moderation.ts";
import {
  ApiError,
  type Chat,
  type ChatKind,
  type Comment,
  EVENT_TYPES,
  isImageChat,
  type NewCommentInput,
  type NewImageChatInput,
  type NewTextChatInput,
  type User,
} from "./protocol.ts";

const newId = monotonicFactory();

/** Who asks for a change: a user, maybe with moderator rights. */
export type Actor = Writer;

/** Input of a new chat of either kind: its first comment and placement. */
export type NewChatInput = NewImageChatInput | NewTextChatInput;

/**
 * The kind of a stored chat.
 *
 * @example
 * ```ts
 * chatKind(chat); // "image" when it has src, x and y
 * ```
 */
export function chatKind(chat: Chat): ChatKind {
  return isImageChat(chat) ? "image" : "text";
}

/**
 * Marker positions are kept to 0.01 % (under a pixel on a 10,000 px image),
 * which keeps events small.
 */
function roundPercent(value: number): number {
  return Math.round(value * 100) / 100;
}

function person(user: User): User {
  return { id: user.id, name: user.name };
}

function notFound(what: "chat" | "comment"): never {
  throw new ApiError("not_found", `No such ${what}.`);
}

/** Stores a chat under its id and in its room's index. */
function putChat(op: Deno.AtomicOperation, tenant: string, chat: Chat) {
  op.set(keys.chat(tenant, chat.id), chat)
    .set(keys.roomChat(tenant, chat.urlId, chat.id), chat);
}

/** Ids are ULIDs; a longer one names nothing (and would not fit a key). */
const ID_MAX = 64;

async function readChat(tenant: string, chatId: string) {
  if (chatId.length > ID_MAX) notFound("chat");
  const kv = await getKv();
  const entry = await kv.get<Chat>(keys.chat(tenant, chatId));
  if (!entry.value) notFound("chat");
  return { entry, chat: entry.value };
}

async function readComment(tenant: string, chatId: string, id: string) {
  if (id.length > ID_MAX) return null;
  const kv = await getKv();
  return (await kv.get<Comment>(keys.comment(tenant, chatId, id))).value;
}

/**
 * Creates a chat with its first comment. The input's shape picks the kind:
 * `src`/`x`/`y` for a marker, `anchor` for a text discussion.
 *
 * @example
 * ```ts
 * const { chat, comment, seq } = await createChat("demo", {
 *   urlId: "demo-image", src: "/sample.jpg", x: 10, y: 20,
 *   text: "Look here", broadcastId: crypto.randomUUID(),
 * }, { id: "u1", name: "Ada" });
 * ```
 */
export function createChat(
  tenant: string,
  input: NewChatInput,
  author: Actor,
): Promise<{ chat: Chat; comment: Comment; seq: number }> {
  const createdBy = person(author);
  const createdAt = Date.now();
  const base = { id: newId(createdAt), urlId: input.urlId };
  const chat: Chat = "anchor" in input
    ? { ...base, anchor: input.anchor, commentCount: 1, createdAt, createdBy }
    : {
      ...base,
      src: input.src,
      x: roundPercent(input.x),
      y: roundPercent(input.y),
      commentCount: 1,
      createdAt,
      createdBy,
    };
  const comment: Comment = {
    id: newId(createdAt),
    chatId: chat.id,
    parentId: null,
    text: input.text,
    author: createdBy,
    createdAt,
    editedAt: null,
  };
  return writeRoom(tenant, chat.urlId, async () => ({
    checks: await checkWriteAllowed(tenant, chat.urlId, author),
    mutate: (op: Deno.AtomicOperation) => {
      putChat(op, tenant, chat);
      op.set(keys.comment(tenant, chat.id, comment.id), comment);
    },
    event: {
      type: EVENT_TYPES[chatKind(chat)].created,
      broadcastId: input.broadcastId,
      chat,
      comment,
    },
    result: { chat, comment },
  }));
}

/**
 * The chats of one kind in a room, with the seq they reflect.
 *
 * @example
 * ```ts
 * const { seq, chats } = await listChats("demo", "demo-image", "image");
 * ```
 */
export async function listChats(
  tenant: string,
  urlId: string,
  kind: ChatKind,
): Promise<{ seq: number; chats: Chat[] }> {
  const { seq, chats } = await getRoomSnapshot(tenant, urlId);
  return { seq, chats: chats.filter((chat) => chatKind(chat) === kind) };
}

/**
 * Deletes a chat of the given kind, then its comments. Only its creator or a
 * moderator may; a chat of the other kind is not found.
 *
 * @example
 * ```ts
 * const { seq } = await deleteChat("demo", chatId, "image", actor, broadcastId);
 * ```
 */
export async function deleteChat(
  tenant: string,
  chatId: string,
  kind: ChatKind,
  actor: Actor,
  broadcastId: string,
): Promise<{ seq: number }> {
  const { chat } = await readChat(tenant, chatId);
  if (chatKind(chat) !== kind) notFound("chat");
  const result = await writeRoom(tenant, chat.urlId, async () => {
    const { entry, chat } = await readChat(tenant, chatId);
    if (chat.createdBy.id !== actor.id && !actor.moderator) {
      throw new ApiError("forbidden", "Only its creator can delete a chat.");
    }
    const allowed = await checkWriteAllowed(tenant, chat.urlId, actor);
    return {
      checks: [entry, ...allowed],
      mutate: (op: Deno.AtomicOperation) => {
        op.delete(keys.chat(tenant, chat.id))
          .delete(keys.roomChat(tenant, chat.urlId, chat.id));
      },
      event: {
        type: EVENT_TYPES[kind].deleted,
        broadcastId,
        chat: { id: chat.id },
      },
      result: {},
    };
  });
  // The chat is gone, so its comments are unreachable; clearing them need
  // not be part of the atomic write, which has a mutation limit.
  await deleteKeys(await commentKeys(tenant, chatId));
  return result;
}

async function commentKeys(tenant: string, chatId: string) {
  const kv = await getKv();
  const found: Deno.KvKey[] = [];
  for await (
    const entry of kv.list({ prefix: keys.comments(tenant, chatId) })
  ) {
    found.push(entry.key);
  }
  return found;
}

/**
 * The comments of a chat, oldest first.
 *
 * @example
 * ```ts
 * const comments = await listComments("demo", chatId);
 * ```
 */
export async function listComments(
  tenant: string,
  chatId: string,
): Promise<Comment[]> {
  await readChat(tenant, chatId);
  const kv = await getKv();
  const comments: Comment[] = [];
  for await (
    const entry of kv.list<Comment>({ prefix: keys.comments(tenant, chatId) })
  ) {
    comments.push(entry.value);
  }
  return comments;
}

/**
 * Adds a comment to a chat. A reply's `parentId` must name a top-level
 * comment of the same chat: replies are one level deep.
 *
 * @example
 * ```ts
 * const { comment, seq } = await addComment("demo", chatId,
 *   { text: "Agreed", parentId: null, broadcastId }, user);
 * ```
 */
export async function addComment(
  tenant: string,
  chatId: string,
  input: NewCommentInput,
  author: Actor,
): Promise<{ comment: Comment; seq: number }> {
  const { chat: current } = await readChat(tenant, chatId);
  const createdAt = Date.now();
  const comment: Comment = {
    id: newId(createdAt),
    chatId,
    parentId: input.parentId,
    text: input.text,
    author: person(author),
    createdAt,
    editedAt: null,
  };
  return await writeRoom(tenant, current.urlId, async () => {
    const { entry, chat } = await readChat(tenant, chatId);
    if (input.parentId !== null) {
      const parent = await readComment(tenant, chatId, input.parentId);
      if (!parent || parent.parentId !== null) {
        throw new ApiError(
          "bad_request",
          `"parentId" must be a top-level comment of this chat.`,
          "parentId",
        );
      }
    }
    const allowed = await checkWriteAllowed(tenant, chat.urlId, author);
    const updated = { ...chat, commentCount: chat.commentCount + 1 };
    return {
      checks: [entry, ...allowed],
      mutate: (op: Deno.AtomicOperation) => {
        putChat(op, tenant, updated);
        op.set(keys.comment(tenant, chatId, comment.id), comment);
      },
      event: {
        type: EVENT_TYPES[chatKind(chat)].updated,
        broadcastId: input.broadcastId,
        chat: updated,
        comment,
      },
      result: { comment },
    };
  });
}

/**
 * Reads a comment for a change by `actor`, who must be its author, or a
 * moderator when `moderatorMay` (moderators delete, but never edit).
 */
async function readOwnComment(
  tenant: string,
  chatId: string,
  commentId: string,
  actor: Actor,
  moderatorMay: boolean,
) {
  if (commentId.length > ID_MAX) notFound("comment");
  const kv = await getKv();
  const entry = await kv.get<Comment>(keys.comment(tenant, chatId, commentId));
  if (!entry.value) notFound("comment");
  const permitted = entry.value.author.id === actor.id ||
    (moderatorMay && actor.moderator === true);
  if (!permitted) {
    throw new ApiError("forbidden", "Only its author can change a comment.");
  }
  return { entry, comment: entry.value };
}

/**
 * Replaces a comment's text; only its author may, moderators included.
 *
 * @example
 * ```ts
 * const { comment, seq } = await editComment("demo", chatId, commentId,
 *   { text: "Fixed typo", broadcastId }, user);
 * ```
 */
export async function editComment(
  tenant: string,
  chatId: string,
  commentId: string,
  input: { text: string; broadcastId: string },
  actor: Actor,
): Promise<{ comment: Comment; seq: number }> {
  const { chat: current } = await readChat(tenant, chatId);
  return await writeRoom(tenant, current.urlId, async () => {
    const { chat } = await readChat(tenant, chatId);
    const found = await readOwnComment(tenant, chatId, commentId, actor, false);
    const allowed = await checkWriteAllowed(tenant, chat.urlId, actor);
    const comment = {
      ...found.comment,
      text: input.text,
      editedAt: Date.now(),
    };
    return {
      checks: [found.entry, ...allowed],
      mutate: (op: Deno.AtomicOperation) => {
        op.set(keys.comment(tenant, chatId, commentId), comment);
      },
      event: {
        type: EVENT_TYPES[chatKind(chat)].updated,
        broadcastId: input.broadcastId,
        chat,
        comment,
      },
      result: { comment },
    };
  });
}

/** Most replies one comment deletion removes within its atomic write. */
const MAX_CASCADE = 900;

/**
 * Deletes a comment and its replies; only its author or a moderator may.
 *
 * @example
 * ```ts
 * const { seq } = await deleteComment("demo", chatId, commentId, broadcastId, user);
 * ```
 */
export async function deleteComment(
  tenant: string,
  chatId: string,
  commentId: string,
  broadcastId: string,
  actor: Actor,
): Promise<{ seq: number }> {
  const { chat: current } = await readChat(tenant, chatId);
  return await writeRoom(tenant, current.urlId, async () => {
    const { entry, chat } = await readChat(tenant, chatId);
    const found = await readOwnComment(tenant, chatId, commentId, actor, true);
    const allowed = await checkWriteAllowed(tenant, chat.urlId, actor);
    const replies = found.comment.parentId === null
      ? (await listComments(tenant, chatId))
        .filter((c) => c.parentId === commentId)
      : [];
    if (replies.length > MAX_CASCADE) {
      throw new ApiError("conflict", "This comment has too many replies.");
    }
    const updated = {
      ...chat,
      commentCount: Math.max(0, chat.commentCount - 1 - replies.length),
    };
    return {
      checks: [entry, found.entry, ...allowed],
      mutate: (op: Deno.AtomicOperation) => {
        putChat(op, tenant, updated);
        for (const c of [found.comment, ...replies]) {
          op.delete(keys.comment(tenant, chatId, c.id));
        }
      },
      event: {
        type: EVENT_TYPES[chatKind(chat)].updated,
        broadcastId,
        chat: updated,
        comment: { id: commentId },
      },
      result: {},
    };
  });
}
