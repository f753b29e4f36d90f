/**
 * What the chat and comment stores share: reading a chat, the room a chat is
 * in, the keys and listing of comments, and storing a chat. Only
 * `db_chats.ts` and `db_comments.ts` import this.
 *
 * @module
 */

import { monotonicFactory } from "ulid";
import { getKv, keys } from "./db_kv.ts";
import type { Writer } from "./db_moderation.ts";
import type { RoomMutations } from "./db_write_group.ts";
import {
  type Chat,
  type ChatKind,
  type Comment,
  isImageChat,
  type User,
} from "./protocol.ts";
import { ApiError } from "./validation.ts";
import { TtlCache } from "./ttl_cache.ts";

const randomPool = new Uint8Array(256);
let randomNext = randomPool.length;

/**
 * A random fraction in [0, 1) from secure random bytes, drawn from a pool:
 * one call into the runtime per 256 draws instead of one per ULID character.
 *
 * @example
 * ```ts
 * const index = Math.floor(pooledRandom() * 32); // a base32 digit
 * ```
 */
export function pooledRandom(): number {
  if (randomNext === randomPool.length) {
    crypto.getRandomValues(randomPool);
    randomNext = 0;
  }
  return randomPool[randomNext++] / 256;
}

/** Ids of chats and comments: ULIDs, in creation order within an isolate. */
export const newId: (seedTime?: number) => string = monotonicFactory(
  pooledRandom,
);

/** Who asks for a change: a user, maybe with moderator rights. */
export type Actor = Writer;

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
 * The public part of a user, as stored in chats and comments.
 *
 * @example
 * ```ts
 * person(author); // { id, name }, without the moderator flag
 * ```
 */
export function person(user: User): User {
  return { id: user.id, name: user.name };
}

/**
 * Throws the 404 of a missing chat or comment.
 *
 * @example
 * ```ts
 * if (!entry.value) notFound("comment");
 * ```
 */
export function notFound(what: "chat" | "comment"): never {
  throw new ApiError("not_found", `No such ${what}.`);
}

/**
 * Stores a chat under its id and in its room's index.
 *
 * @example
 * ```ts
 * putChat(op, "demo", { ...chat, commentCount: chat.commentCount + 1 });
 * ```
 */
export function putChat(
  op: RoomMutations,
  tenant: string,
  chat: Chat,
): void {
  op.set(keys.chat(tenant, chat.id), chat)
    .set(keys.roomChat(tenant, chat.urlId, chat.id), chat);
}

/** Ids are ULIDs; a longer one names nothing (and would not fit a key). */
const ID_MAX = 64;

/**
 * A chat and its entry; 404 when there is none.
 *
 * @example
 * ```ts
 * const { entry, chat } = await readChat("demo", chatId);
 * ```
 */
export async function readChat(
  tenant: string,
  chatId: string,
): Promise<{ entry: Deno.KvEntryMaybe<unknown>; chat: Chat }> {
  if (chatId.length > ID_MAX) notFound("chat");
  const kv = await getKv();
  return chatOf(await kv.get<Chat>(keys.chat(tenant, chatId)));
}

/**
 * The chat in an entry a room write read; 404 when there is none.
 *
 * @example
 * ```ts
 * const { entry, chat } = chatOf(entries[0]);
 * ```
 */
export function chatOf(
  entry: Deno.KvEntryMaybe<unknown>,
): { entry: Deno.KvEntryMaybe<unknown>; chat: Chat } {
  if (!entry.value) notFound("chat");
  return { entry, chat: entry.value as Chat };
}

/**
 * The room of each chat this isolate has seen, keyed `tenant\nchatId`. A
 * chat never moves to another room, so an entry never goes stale: a write
 * to a chat deleted since finds it missing inside its room write.
 */
const chatRooms = new TtlCache<string, string>(10_000);

/**
 * The room a chat is in, which a write to it must lock; 404 if none. Read
 * once per isolate and chat.
 *
 * @example
 * ```ts
 * const urlId = await roomOfChat("demo", chatId);
 * ```
 */
export async function roomOfChat(
  tenant: string,
  chatId: string,
): Promise<string> {
  const cacheKey = `${tenant}\n${chatId}`;
  const cached = chatRooms.get(cacheKey);
  if (cached !== undefined) return cached;
  const { chat } = await readChat(tenant, chatId);
  chatRooms.set(cacheKey, chat.urlId, Infinity);
  return chat.urlId;
}

/**
 * The key of a comment, or null for an id no comment can have.
 *
 * @example
 * ```ts
 * const key = commentKey("demo", chatId, input.parentId);
 * ```
 */
export function commentKey(
  tenant: string,
  chatId: string,
  id: string,
): Deno.KvKey | null {
  return id.length > ID_MAX ? null : keys.comment(tenant, chatId, id);
}

/**
 * The stored comments of a chat, oldest first.
 *
 * @example
 * ```ts
 * const comments = (await commentEntries("demo", chatId)).map((e) => e.value);
 * ```
 */
export async function commentEntries(
  tenant: string,
  chatId: string,
): Promise<Deno.KvEntry<Comment>[]> {
  const kv = await getKv();
  return await Array.fromAsync(
    kv.list<Comment>({ prefix: keys.comments(tenant, chatId) }),
  );
}
