/**
 * Chats (image markers and text discussions); their comments are in
 * `db_comments.ts`, re-exported here. Every change goes through `writeRoom`,
 * so it bumps the room's seq and logs its event in the same atomic operation
 * that stores it, and reads what it depends on in one `getMany` with the
 * room's seq.
 *
 * Every write is also refused for a banned author, and in a locked room for
 * anyone but a moderator (`db_moderation.ts`), within the same atomic write.
 *
 * Chats are stored exactly as they go on the wire: an image chat has `src`,
 * `x` and `y`, a text chat has `anchor`, and nothing else tells them apart.
 *
 * @module
 */

import { deleteKeys, keys } from "./db_kv.ts";
import { getRoomSnapshot, type RoomMutations, writeRoom } from "./db.ts";
import {
  type Actor,
  chatKind,
  chatOf,
  commentEntries,
  newId,
  notFound,
  person,
  putChat,
  roomOfChat,
} from "./db_chat_records.ts";
import { assertWriteAllowed, writeGuardKeys } from "./db_moderation.ts";
import {
  type Chat,
  type ChatKind,
  type Comment,
  EVENT_TYPES,
  type NewImageChatInput,
  type NewTextChatInput,
} from "./protocol.ts";
import { ApiError } from "./validation.ts";

export { type Actor, chatKind } from "./db_chat_records.ts";
export {
  addComment,
  deleteComment,
  editComment,
  listComments,
} from "./db_comments.ts";

/** Input of a new chat of either kind: its first comment and placement. */
export type NewChatInput = NewImageChatInput | NewTextChatInput;

/**
 * Marker positions are kept to 0.01 % (under a pixel on a 10,000 px image),
 * which keeps events small.
 */
function roundPercent(value: number): number {
  return Math.round(value * 100) / 100;
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
  const reads = writeGuardKeys(tenant, chat.urlId, author.id);
  return writeRoom(tenant, chat.urlId, (guard) => ({
    checks: assertWriteAllowed(guard, author),
    mutate: (op: RoomMutations) => {
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
  }), reads);
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
  const urlId = await roomOfChat(tenant, chatId);
  const reads = [
    keys.chat(tenant, chatId),
    ...writeGuardKeys(tenant, urlId, actor.id),
  ];
  const result = await writeRoom(tenant, urlId, ([chatEntry, ...guard]) => {
    const { entry, chat } = chatOf(chatEntry);
    if (chatKind(chat) !== kind) notFound("chat");
    if (chat.createdBy.id !== actor.id && !actor.moderator) {
      throw new ApiError("forbidden", "Only its creator can delete a chat.");
    }
    const allowed = assertWriteAllowed(guard, actor);
    return {
      checks: [entry, ...allowed],
      mutate: (op: RoomMutations) => {
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
  }, reads);
  // The chat is gone, so its comments are unreachable; clearing them need
  // not be part of the atomic write, which has a mutation limit.
  await deleteKeys((await commentEntries(tenant, chatId)).map((e) => e.key));
  return result;
}
