/**
 * Pure state transitions of a room as the browser sees it: the chats of the
 * room and the threads that are open. The live client applies server events
 * and its own optimistic changes through these, so both follow one set of
 * rules.
 *
 * @module
 */

import type { Chat, Comment, EventType, RoomEvent } from "./protocol.ts";

/** The chats of a room by id, in the order they appeared. */
export type ChatMap = ReadonlyMap<string, Chat>;

/** A deleted chat or comment travels as its id alone. */
export function isTombstone(value: Chat | Comment | { id: string }): boolean {
  return Object.keys(value).length === 1;
}

/** What an event does to the room: which of the three kinds of change. */
export function changeOf(type: EventType): "created" | "updated" | "deleted" {
  if (type.startsWith("new-")) return "created";
  if (type.startsWith("deleted-")) return "deleted";
  return "updated";
}

/** Replaces the chat map with a snapshot, keeping the server's order. */
export function chatsFromSnapshot(chats: readonly Chat[]): ChatMap {
  return new Map(chats.map((chat) => [chat.id, chat]));
}

/**
 * Adds or replaces one chat; an existing chat keeps its place.
 *
 * @example
 * ```ts
 * const next = putChat(new Map(), chat); // next.get(chat.id) === chat
 * ```
 */
export function putChat(chats: ChatMap, chat: Chat): ChatMap {
  const next = new Map(chats);
  next.set(chat.id, chat);
  return next;
}

/** Removes one chat; the same map comes back when it was not there. */
export function removeChat(chats: ChatMap, chatId: string): ChatMap {
  if (!chats.has(chatId)) return chats;
  const next = new Map(chats);
  next.delete(chatId);
  return next;
}

/** Applies a room event (of either product) to the chat map. */
export function applyEventToChats(chats: ChatMap, event: RoomEvent): ChatMap {
  if (changeOf(event.type) === "deleted" || isTombstone(event.chat)) {
    return removeChat(chats, event.chat.id);
  }
  return putChat(chats, event.chat as Chat);
}

/** Adds one to, or takes one from, a chat's comment count. */
export function bumpCommentCount(
  chats: ChatMap,
  chatId: string,
  delta: number,
): ChatMap {
  const chat = chats.get(chatId);
  if (!chat) return chats;
  const commentCount = Math.max(0, chat.commentCount + delta);
  return putChat(chats, { ...chat, commentCount });
}

/**
 * Applies one changed comment to a thread: a full comment is added (at the
 * end) or replaced in place; `{ id }` alone removes it. Applying the same
 * change twice gives the same thread, so replays are harmless.
 */
export function applyCommentChange(
  thread: readonly Comment[],
  change: Comment | { id: string },
): Comment[] {
  if (!("text" in change)) return thread.filter((c) => c.id !== change.id);
  const index = thread.findIndex((c) => c.id === change.id);
  if (index === -1) return [...thread, change];
  const next = [...thread];
  next[index] = change;
  return next;
}

/** Replaces a comment with another (an optimistic one with the stored one). */
export function replaceComment(
  thread: readonly Comment[],
  oldId: string,
  comment: Comment,
): Comment[] {
  const withoutDuplicate = thread.filter((c) => c.id !== comment.id);
  const index = withoutDuplicate.findIndex((c) => c.id === oldId);
  if (index === -1) return [...withoutDuplicate, comment];
  withoutDuplicate[index] = comment;
  return withoutDuplicate;
}
