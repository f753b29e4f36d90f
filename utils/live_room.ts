/**
 * The browser's live view of one room (tenant + urlId), for either product:
 * it keeps the room's chats current over the WebSocket (its connection is a
 * {@linkcode LiveSocket}), resyncs after a reconnect, and performs writes
 * optimistically over REST.
 *
 * Rules it follows: every write gets a fresh `broadcastId` and is applied at
 * once; the broadcast carrying one of its own ids is not applied again (its
 * seq still counts); a refused write is rolled back and its error rethrown
 * with the server's message; writes are never queued — offline, they fail at
 * once with {@linkcode OFFLINE_MESSAGE}.
 *
 * @module
 */

import { batch, type Signal, signal } from "@preact/signals";
import { type ApiClient, ApiRequestError } from "./api_client.ts";
import type { Identity } from "./identity.ts";
import { LiveThread, type Thread } from "./live_thread.ts";
import {
  type Anchor,
  type Chat,
  type ChatKind,
  type Comment,
  isImageChat,
  parseFrame,
  type RoomEvent,
  type ServerMessage,
  type SyncMessage,
  type User,
} from "./protocol.ts";
import {
  applyEventToChats,
  bumpCommentCount,
  type ChatMap,
  chatsFromSnapshot,
  putChat,
  removeChat,
} from "./room_state.ts";
import {
  type Connectivity,
  PendingWrites,
  RecentIds,
  type Timers,
} from "./live_support.ts";
import {
  LiveSocket,
  type LiveSocketOptions,
  type LiveStatus,
  type SocketLike,
} from "./live_socket.ts";

export type { Connectivity, LiveStatus, SocketLike, Thread, Timers };

/** Why a write failed while offline. */
export const OFFLINE_MESSAGE =
  "You're offline — this wasn't sent. Try again when you're back online.";

/** Where a new image chat goes: percentages of the image's size. */
export interface ImagePlacement {
  src: string;
  x: number;
  y: number;
}

/** Where a new text chat goes. */
export interface TextPlacement {
  anchor: Anchor;
}

/** Options of {@linkcode LiveRoom}. */
export interface LiveRoomOptions
  extends Omit<LiveSocketOptions, "url" | "onMessage"> {
  api: ApiClient;
  identity: Identity;
  urlId: string;
  /** Which product's chats this room shows. */
  kind: ChatKind;
  /** Server-rendered chats, shown before the socket syncs. */
  initialChats?: Chat[];
  /** The seq `initialChats` reflect; the first connect resumes from it. */
  initialSeq?: number | null;
  /** @default location.href */
  pageUrl?: string;
}

const PENDING_PREFIX = "pending:";

/** True for the id of a chat or comment not yet confirmed by the server. */
export function isPendingId(id: string): boolean {
  return id.startsWith(PENDING_PREFIX);
}

/** A live room. Call {@linkcode LiveRoom.connect} once, `close()` when done. */
export class LiveRoom {
  /** The room's chats of this room's kind, by id. */
  readonly chats = signal<ChatMap>(new Map());
  /** Viewers of the room right now, over all tabs and devices. */
  readonly users = signal(0);
  /** The last event seq applied (0 before any). */
  readonly seq = signal(0);

  readonly #o: LiveRoomOptions;
  readonly #socket: LiveSocket;
  readonly #threads = new Map<string, LiveThread>();
  readonly #ownIds = new RecentIds(256);
  readonly #pending = new PendingWrites();
  #resumeFrom: number | null;

  constructor(options: LiveRoomOptions) {
    this.#o = options;
    const pageUrl = options.pageUrl ?? globalThis.location?.href ??
      "http://localhost/";
    this.#socket = new LiveSocket({
      ...options,
      url: () =>
        options.api.socketUrl(options.urlId, this.#resumeFrom, pageUrl),
      onMessage: (data) => this.#receive(data),
    });
    this.chats.value = chatsFromSnapshot(
      (options.initialChats ?? []).filter((c) => this.#isOwnKind(c)),
    );
    this.#resumeFrom = options.initialSeq ?? null;
    this.seq.value = options.initialSeq ?? 0;
  }

  /** The connection as the UI shows it. */
  get status(): Signal<LiveStatus> {
    return this.#socket.status;
  }

  /** Starts following the room (and the browser's online state). */
  connect(): void {
    this.#socket.connect();
  }

  /** Stops for good: closes the socket and cancels timers. */
  close(): void {
    this.#socket.close();
  }

  /** Throws {@linkcode OFFLINE_MESSAGE} while offline, as a write would. */
  assertOnline(): void {
    if (!this.#socket.online) {
      throw new ApiRequestError("network", OFFLINE_MESSAGE, 0);
    }
  }

  /** The thread of `chatId`, loading it the first time it is asked for. */
  thread(chatId: string): Thread {
    let thread = this.#threads.get(chatId);
    if (!thread) {
      thread = new LiveThread(chatId);
      this.#threads.set(chatId, thread);
      if (!isPendingId(chatId)) this.#load(thread);
    }
    return thread;
  }

  /** Loads a thread again, e.g. after its first load failed. */
  reloadThread(chatId: string): void {
    const thread = this.#threads.get(chatId);
    if (thread) this.#load(thread);
  }

  /**
   * Gives the viewer an identity under `name` (`POST /sessions`); like a
   * write, it fails at once while offline.
   */
  async identify(name: string): Promise<User> {
    this.assertOnline();
    return await this.#o.identity.identify(this.#o.api, name);
  }

  /** Creates a chat with its first comment; resolves to the stored chat. */
  createChat(
    place: ImagePlacement | TextPlacement,
    text: string,
  ): Promise<Chat> {
    const author = this.#author();
    return this.#write(async (broadcastId) => {
      const tempId = PENDING_PREFIX + broadcastId;
      const now = Date.now();
      const optimistic = {
        id: tempId,
        urlId: this.#o.urlId,
        commentCount: 1,
        createdAt: now,
        createdBy: author,
        ...place,
      } as Chat;
      const firstComment: Comment = {
        id: `${tempId}:0`,
        chatId: tempId,
        parentId: null,
        text,
        author,
        createdAt: now,
        editedAt: null,
      };
      this.chats.value = putChat(this.chats.value, optimistic);
      this.#threads.set(tempId, new LiveThread(tempId, [firstComment]));
      try {
        const input = { urlId: this.#o.urlId, text, broadcastId };
        const { chat, comment } = "anchor" in place
          ? await this.#o.api.createTextChat({ ...input, ...place })
          : await this.#o.api.createImageChat({ ...input, ...place });
        batch(() => {
          this.chats.value = putChat(
            removeChat(this.chats.value, tempId),
            chat,
          );
          this.#threads.set(chat.id, new LiveThread(chat.id, [comment]));
        });
        return chat;
      } finally {
        this.chats.value = removeChat(this.chats.value, tempId);
        this.#threads.delete(tempId);
      }
    });
  }

  /** Deletes a chat and its thread (its creator, or a moderator). */
  deleteChat(chatId: string): Promise<void> {
    return this.#write(async (broadcastId) => {
      const chat = this.chats.value.get(chatId);
      this.#pending.add(broadcastId, { chatId, deletesChat: true });
      this.chats.value = removeChat(this.chats.value, chatId);
      try {
        await this.#o.api.deleteChat(this.#o.kind, chatId, broadcastId);
        this.#threads.delete(chatId);
      } catch (error) {
        const gone = error instanceof ApiRequestError &&
          error.code === "not_found";
        if (chat && !gone) this.chats.value = putChat(this.chats.value, chat);
        throw error;
      }
    });
  }

  /** Adds a comment, or a reply to `parentId`; resolves to the stored one. */
  addComment(
    chatId: string,
    text: string,
    parentId: string | null = null,
  ): Promise<Comment> {
    const author = this.#author();
    return this.#write(async (broadcastId) => {
      const thread = this.thread(chatId) as LiveThread;
      const tempId = PENDING_PREFIX + broadcastId;
      thread.apply({
        id: tempId,
        chatId,
        parentId,
        text,
        author,
        createdAt: Date.now(),
        editedAt: null,
      });
      this.#changeCount(broadcastId, chatId, +1);
      try {
        const input = { text, parentId, broadcastId };
        const { comment } = await this.#o.api.addComment(chatId, input);
        thread.confirm(tempId, comment);
        return comment;
      } catch (error) {
        thread.take(tempId);
        this.#undoCount(broadcastId, chatId, +1);
        throw error;
      }
    });
  }

  /** Edits one's own comment. */
  editComment(
    chatId: string,
    commentId: string,
    text: string,
  ): Promise<Comment> {
    return this.#write(async (broadcastId) => {
      const thread = this.thread(chatId) as LiveThread;
      const before = thread.find(commentId);
      if (before) thread.apply({ ...before, text, editedAt: Date.now() });
      try {
        const input = { text, broadcastId };
        const { comment } = await this.#o.api.editComment(
          chatId,
          commentId,
          input,
        );
        thread.apply(comment);
        return comment;
      } catch (error) {
        if (before) thread.apply(before);
        throw error;
      }
    });
  }

  /** Deletes one's own comment. */
  deleteComment(chatId: string, commentId: string): Promise<void> {
    return this.#write(async (broadcastId) => {
      const thread = this.thread(chatId) as LiveThread;
      const taken = thread.take(commentId);
      this.#changeCount(broadcastId, chatId, -1);
      try {
        await this.#o.api.deleteComment(chatId, commentId, broadcastId);
      } catch (error) {
        if (taken) thread.restore(taken);
        this.#undoCount(broadcastId, chatId, -1);
        throw error;
      }
    });
  }

  // -- writes ---------------------------------------------------------------

  async #write<T>(perform: (broadcastId: string) => Promise<T>): Promise<T> {
    this.assertOnline();
    const broadcastId = crypto.randomUUID();
    this.#ownIds.add(broadcastId);
    try {
      const result = await perform(broadcastId);
      this.#pending.settle(broadcastId);
      return result;
    } catch (error) {
      this.#pending.delete(broadcastId);
      if (error instanceof ApiRequestError && error.code === "unauthorized") {
        this.#o.identity.forget();
      }
      throw error;
    }
  }

  #author() {
    const user = this.#o.identity.user();
    if (!user) {
      throw new ApiRequestError(
        "unauthorized",
        "Enter your name to join the discussion.",
        401,
      );
    }
    return user;
  }

  #changeCount(broadcastId: string, chatId: string, delta: number): void {
    this.#pending.add(broadcastId, { chatId, countDelta: delta });
    this.chats.value = bumpCommentCount(this.chats.value, chatId, delta);
  }

  #undoCount(broadcastId: string, chatId: string, delta: number): void {
    this.#pending.delete(broadcastId);
    this.chats.value = bumpCommentCount(this.chats.value, chatId, -delta);
  }

  #load(thread: LiveThread): Promise<void> {
    return thread.load(async () =>
      (await this.#o.api.listComments(thread.chatId)).comments
    );
  }

  // -- what the socket says ------------------------------------------------

  #receive(data: string): void {
    let messages: ServerMessage[];
    try {
      messages = parseFrame(data);
    } catch {
      return; // Not ours to understand; the protocol only sends JSON.
    }
    batch(() => {
      for (const message of messages) {
        if (message.type === "sync") this.#sync(message);
        else if (message.type === "users") this.users.value = message.count;
        else if ("seq" in message) this.#event(message);
      }
    });
  }

  #sync(message: SyncMessage): void {
    this.users.value = message.users;
    this.#socket.synced();
    if (message.recovered) return; // The missed events follow.
    this.#pending.forgetSettled();
    const chats = (message.chats ?? []).filter((c) => this.#isOwnKind(c));
    this.chats.value = chatsFromSnapshot(chats);
    this.seq.value = this.#resumeFrom = message.seq;
    for (const thread of this.#threads.values()) {
      if (!isPendingId(thread.chatId)) this.#load(thread);
    }
  }

  #event(event: RoomEvent): void {
    if (event.seq <= this.seq.value) return; // Already applied.
    if (event.seq > this.seq.value + 1) {
      // A gap means a lost frame: resume from what we have.
      this.#socket.reopen();
      return;
    }
    this.seq.value = this.#resumeFrom = event.seq;
    if (this.#ownIds.has(event.broadcastId)) {
      this.#pending.delete(event.broadcastId);
      return;
    }
    if (!this.#isOwnKind(event.chat)) return;
    const chatId = event.chat.id;
    if (!this.#pending.deletes(chatId)) {
      let chats = applyEventToChats(this.chats.value, event);
      const delta = this.#pending.countDelta(chatId);
      if (delta) chats = bumpCommentCount(chats, chatId, delta);
      this.chats.value = chats;
    }
    if (!this.chats.value.has(chatId)) this.#threads.delete(chatId);
    else if (event.comment) this.#threads.get(chatId)?.apply(event.comment);
  }

  #isOwnKind(chat: Chat | { id: string }): boolean {
    if (!("createdBy" in chat)) return true; // A tombstone: check by id.
    return isImageChat(chat) === (this.#o.kind === "image");
  }
}
