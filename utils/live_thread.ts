/**
 * One chat's comment thread in the browser: loaded with `GET comments` when
 * opened, then kept current by the room's live events. Events that arrive
 * while the thread is still loading are held back and applied after the
 * loaded list, so nothing is lost in between (applying a change twice is
 * harmless).
 *
 * @module
 */

import { signal } from "@preact/signals";
import type { ReadonlySignal } from "@preact/signals";
import type { Comment } from "./protocol.ts";
import { applyCommentChange, replaceComment } from "./room_state.ts";

/** What the UI reads of a thread. */
export interface Thread {
  readonly chatId: string;
  /** The comments, oldest first; null while the first load is running. */
  readonly comments: ReadonlySignal<Comment[] | null>;
  /** Why loading failed, if it did. */
  readonly error: ReadonlySignal<string | null>;
}

/** A thread plus the operations the live room performs on it. */
export class LiveThread implements Thread {
  readonly chatId: string;
  readonly comments = signal<Comment[] | null>(null);
  readonly error = signal<string | null>(null);
  #held: (Comment | { id: string })[] | null = null;
  #loadId = 0;

  constructor(chatId: string, comments: Comment[] | null = null) {
    this.chatId = chatId;
    this.comments.value = comments;
  }

  /**
   * (Re)loads the thread with `fetchComments`; changes that arrive meanwhile
   * are applied on top of the result. A later load supersedes an earlier one.
   */
  async load(fetchComments: () => Promise<Comment[]>): Promise<void> {
    const loadId = ++this.#loadId;
    this.#held = [];
    this.error.value = null;
    try {
      let comments = await fetchComments();
      if (loadId !== this.#loadId) return;
      for (const change of this.#held) {
        comments = applyCommentChange(comments, change);
      }
      this.comments.value = comments;
    } catch (error) {
      if (loadId !== this.#loadId) return;
      this.error.value = error instanceof Error
        ? error.message
        : "The comments could not be loaded.";
    } finally {
      if (loadId === this.#loadId) this.#held = null;
    }
  }

  /** Applies a changed comment (`{ id }` alone: deleted). */
  apply(change: Comment | { id: string }): void {
    this.#held?.push(change);
    if (this.comments.value) {
      this.comments.value = applyCommentChange(this.comments.value, change);
    }
  }

  /** Swaps an optimistic comment for the stored one. */
  confirm(optimisticId: string, comment: Comment): void {
    if (this.comments.value) {
      this.comments.value = replaceComment(
        this.comments.value,
        optimisticId,
        comment,
      );
    }
  }

  /** Removes a comment, returning it (and its place) for a rollback. */
  take(commentId: string): { comment: Comment; index: number } | null {
    const list = this.comments.value;
    const index = list?.findIndex((c) => c.id === commentId) ?? -1;
    if (!list || index === -1) return null;
    this.comments.value = list.filter((c) => c.id !== commentId);
    return { comment: list[index], index };
  }

  /** Puts back a comment that {@linkcode take} removed. */
  restore(taken: { comment: Comment; index: number }): void {
    const list = this.comments.value;
    if (!list || list.some((c) => c.id === taken.comment.id)) return;
    const next = [...list];
    next.splice(Math.min(taken.index, next.length), 0, taken.comment);
    this.comments.value = next;
  }

  /** The comment with `commentId`, if loaded. */
  find(commentId: string): Comment | undefined {
    return this.comments.value?.find((c) => c.id === commentId);
  }
}
