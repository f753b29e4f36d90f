/**
 * Comments of chats: adding, editing and deleting them (a top-level comment
 * with its replies). Like every change to a room, each goes through
 * `writeRoom`, reading the chat, the comment, the author's ban and the room's
 * lock in one `getMany` with the room's seq.
 *
 * @module
 */

import { keys } from "./db_kv.ts";
import { type RoomMutations, writeRoom } from "./db.ts";
import {
  type Actor,
  chatKind,
  chatOf,
  commentEntries,
  commentKey,
  newId,
  notFound,
  person,
  putChat,
  readChat,
  roomOfChat,
} from "./db_chat_records.ts";
import { assertWriteAllowed, writeGuardKeys } from "./db_moderation.ts";
import { type Comment, EVENT_TYPES } from "./protocol.ts";
import { ApiError } from "./validation.ts";
import type { NewCommentInput } from "./protocol.ts";

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
  return (await commentEntries(tenant, chatId)).map((entry) => entry.value);
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
  const urlId = await roomOfChat(tenant, chatId);
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
  const parentKey = input.parentId === null
    ? null
    : commentKey(tenant, chatId, input.parentId);
  const reads = [
    keys.chat(tenant, chatId),
    ...writeGuardKeys(tenant, urlId, author.id),
    ...(parentKey ? [parentKey] : []),
  ];
  return await writeRoom(tenant, urlId, ([chatEntry, ban, lock, parent]) => {
    const { entry, chat } = chatOf(chatEntry);
    if (input.parentId !== null) {
      const found = parent?.value as Comment | null | undefined;
      if (!found || found.parentId !== null) {
        throw new ApiError(
          "bad_request",
          `"parentId" must be a top-level comment of this chat.`,
          "parentId",
        );
      }
    }
    const allowed = assertWriteAllowed([ban, lock], author);
    const updated = { ...chat, commentCount: chat.commentCount + 1 };
    return {
      checks: [entry, ...allowed],
      mutate: (op: RoomMutations) => {
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
  }, reads);
}

/** What a change to one comment reads: its chat, the comment, ban and lock. */
async function commentWriteReads(
  tenant: string,
  chatId: string,
  commentId: string,
  actor: Actor,
) {
  const urlId = await roomOfChat(tenant, chatId);
  const key = commentKey(tenant, chatId, commentId);
  // An id no comment can have reads the chat again: found as no comment.
  const reads = [
    keys.chat(tenant, chatId),
    key ?? keys.chat(tenant, chatId),
    ...writeGuardKeys(tenant, urlId, actor.id),
  ];
  return { urlId, reads, known: key !== null };
}

/**
 * The comment in an entry, for a change by `actor`, who must be its author,
 * or a moderator when `moderatorMay` (moderators delete, but never edit).
 */
function ownComment(
  entry: Deno.KvEntryMaybe<unknown>,
  known: boolean,
  actor: Actor,
  moderatorMay: boolean,
) {
  if (!known || !entry.value) notFound("comment");
  const comment = entry.value as Comment;
  const permitted = comment.author.id === actor.id ||
    (moderatorMay && actor.moderator === true);
  if (!permitted) {
    throw new ApiError("forbidden", "Only its author can change a comment.");
  }
  return { entry, comment };
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
  const { urlId, reads, known } = await commentWriteReads(
    tenant,
    chatId,
    commentId,
    actor,
  );
  return await writeRoom(
    tenant,
    urlId,
    ([chatEntry, commentEntry, ...guard]) => {
      const { chat } = chatOf(chatEntry);
      const found = ownComment(commentEntry, known, actor, false);
      const allowed = assertWriteAllowed(guard, actor);
      const comment = {
        ...found.comment,
        text: input.text,
        editedAt: Date.now(),
      };
      return {
        checks: [found.entry, ...allowed],
        mutate: (op: RoomMutations) => {
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
    },
    reads,
  );
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
  const { urlId, reads, known } = await commentWriteReads(
    tenant,
    chatId,
    commentId,
    actor,
  );
  return await writeRoom(tenant, urlId, async (entries) => {
    const [chatEntry, commentEntry, ...guard] = entries;
    const { entry, chat } = chatOf(chatEntry);
    const found = ownComment(commentEntry, known, actor, true);
    const allowed = assertWriteAllowed(guard, actor);
    const replies = found.comment.parentId === null
      ? (await commentEntries(tenant, chatId))
        .map((e) => e.value)
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
      mutate: (op: RoomMutations) => {
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
  }, reads);
}
