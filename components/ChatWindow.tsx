import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { Comment, User } from "../utils/protocol.ts";
import type { Rect } from "../utils/placement.ts";
import { CommentItem } from "./CommentItem.tsx";
import { Composer } from "./Composer.tsx";
import { FloatingWindow } from "./FloatingWindow.tsx";

/** Props of {@linkcode ChatWindow}: product-neutral, for image and text chats. */
export interface ChatWindowProps {
  chatId: string;
  /** The thread, oldest first; null while loading. */
  comments: Comment[] | null;
  /** Why the thread could not be loaded. */
  loadError?: string | null;
  /** Loads the thread again after `loadError`. */
  onRetry?: () => void;
  /** The viewer, or null before they named themselves. */
  user: User | null;
  /** Prefills the name field for a first-time writer. */
  suggestedName?: string;
  onIdentify: (name: string) => Promise<unknown>;
  /** Ask a first-time writer for a name (not when the site signs in). @default true */
  askName?: boolean;
  /** The viewer moderates: a delete action on every comment. @default false */
  moderator?: boolean;
  /**
   * Shows `[data-testid=delete-chat]` (the creator, or a moderator), which
   * asks before `onDeleteChat` (`[data-testid=confirm-delete-chat]`).
   */
  canDeleteChat: boolean;
  /** No reply box, no edits. @default false */
  readonly?: boolean;
  /** 1 allows replies to top-level comments. @default 0 */
  maxReplyDepth?: number;
  /** Window width on wide screens, in pixels. @default 300 */
  width?: number;
  /** Title in the window header. @default "Discussion" */
  title?: string;
  /** Shown above the thread, e.g. the quoted passage of a text chat. */
  context?: ComponentChildren;
  /** A message about the chat as a whole, e.g. a failed delete. */
  notice?: string | null;
  getAnchorRect: () => Rect | null;
  onSubmit: (text: string, parentId: string | null) => Promise<unknown>;
  onEdit: (commentId: string, text: string) => Promise<unknown>;
  onDeleteComment: (commentId: string) => void;
  onDeleteChat: () => void;
  onClose: () => void;
  /** True for ids of writes not yet stored. */
  isPending?: (id: string) => boolean;
}

const MINUTE = 60_000;
/** The markers and passages of discussions on the page, outside any window. */
function chatElements(): HTMLElement[] {
  return [
    ...document.querySelectorAll<HTMLElement>(
      "[data-chat-id]:not(.tack-window *)",
    ),
  ];
}

/**
 * The marker or passage of the discussion after `chatId`'s on the page, else
 * the one before it: where focus goes once `chatId` is deleted.
 */
function neighbourOf(chatId: string): HTMLElement | null {
  const all = chatElements();
  const own = all.findIndex((el) => el.dataset.chatId === chatId);
  const other = (el: HTMLElement) =>
    el.dataset.chatId !== chatId && el.tabIndex >= 0;
  if (own < 0) return null;
  return all.slice(own + 1).find(other) ??
    all.slice(0, own).reverse().find(other) ?? null;
}

/** The floating window of one chat's thread with its reply box. */
export function ChatWindow(props: ChatWindowProps) {
  const { comments, user, readonly = false, maxReplyDepth = 0 } = props;
  const [replyTo, setReplyTo] = useState<string | null>(null);
  // Deleting a discussion deletes it for everyone: it takes a second step.
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  // Where focus goes once the discussion is deleted, here or elsewhere:
  // found while its own marker or passage is still on the page.
  const neighbour = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    neighbour.current = neighbourOf(props.chatId) ?? neighbour.current;
  });
  // In the same commit that shows the question, so that an Escape pressed
  // at once reaches it rather than closing the window.
  useLayoutEffect(() => {
    if (confirmingDelete) keep.current?.focus();
  }, [confirmingDelete]);
  const now = useNow(MINUTE);
  const isPending = props.isPending ?? (() => false);
  const topLevel = comments?.filter((c) => c.parentId === null) ?? [];
  const repliesOf = (id: string) =>
    comments?.filter((c) => c.parentId === id) ?? [];
  const count = comments?.length ?? 0;

  const item = (comment: Comment, children?: ComponentChildren) => (
    <CommentItem
      key={comment.id}
      comment={comment}
      user={user}
      moderator={props.moderator}
      pending={isPending(comment.id)}
      readonly={readonly}
      now={now}
      onReply={!readonly && maxReplyDepth >= 1 && comment.parentId === null
        ? () => setReplyTo(comment.id)
        : undefined}
      onEdit={(text) => props.onEdit(comment.id, text)}
      onDelete={() => props.onDeleteComment(comment.id)}
    >
      {children}
    </CommentItem>
  );

  return (
    <FloatingWindow
      getAnchorRect={props.getAnchorRect}
      label={props.title ?? "Discussion"}
      onClose={props.onClose}
      returnFocus={() =>
        chatElements().find((el) => el.dataset.chatId === props.chatId) ??
          (neighbour.current?.isConnected ? neighbour.current : null)}
      width={props.width}
      testId="chat-window"
      class="tack-chat-window"
    >
      <header class="tack-window-header">
        <h2>
          {props.title ?? "Discussion"}
          {comments && (
            <span class="tack-count">
              {count} {count === 1 ? "comment" : "comments"}
            </span>
          )}
        </h2>
        {props.canDeleteChat && !readonly && (
          <button
            type="button"
            class="tack-icon-btn tack-danger"
            data-testid="delete-chat"
            aria-label="Delete this discussion"
            title="Delete this discussion"
            aria-expanded={confirmingDelete}
            onClick={() => setConfirmingDelete(true)}
          >
            <TrashIcon />
          </button>
        )}
        <button
          type="button"
          class="tack-icon-btn"
          aria-label="Close"
          title="Close (Esc)"
          onClick={props.onClose}
        >
          <CloseIcon />
        </button>
      </header>
      {confirmingDelete && (
        <div
          class="tack-confirm"
          role="group"
          aria-label="Delete this discussion?"
          onKeyDown={(event) => {
            if (event.key !== "Escape") return;
            event.preventDefault(); // Escape cancels here; it does not close.
            setConfirmingDelete(false);
          }}
        >
          <p>
            Delete this discussion{count > 0 &&
              ` and its ${count} ${count === 1 ? "comment" : "comments"}`}{" "}
            for everyone?
          </p>
          <button
            type="button"
            class="tack-btn tack-btn-danger"
            data-testid="confirm-delete-chat"
            onClick={() => {
              setConfirmingDelete(false);
              props.onDeleteChat();
            }}
          >
            Delete
          </button>
          <button
            ref={keep}
            type="button"
            class="tack-btn"
            onClick={() => setConfirmingDelete(false)}
          >
            Keep
          </button>
        </div>
      )}
      {props.context}
      {props.notice && (
        <p class="tack-error tack-window-notice" role="alert">{props.notice}</p>
      )}
      <div class="tack-thread" aria-live="polite">
        {comments === null && !props.loadError && (
          <p class="tack-loading" role="status">Loading comments…</p>
        )}
        {props.loadError && (
          <div class="tack-error" role="alert">
            {props.loadError}{" "}
            {props.onRetry && (
              <button type="button" class="tack-link" onClick={props.onRetry}>
                Try again
              </button>
            )}
          </div>
        )}
        {comments && count === 0 && <p class="tack-empty">No comments yet.</p>}
        <ol class="tack-comments">
          {topLevel.map((comment) =>
            item(
              comment,
              <>
                {repliesOf(comment.id).length > 0 && (
                  <ol class="tack-replies">
                    {repliesOf(comment.id).map((reply) => item(reply))}
                  </ol>
                )}
                {replyTo === comment.id && (
                  <Composer
                    user={user}
                    suggestedName={props.suggestedName}
                    onIdentify={props.onIdentify}
                    askName={props.askName}
                    placeholder={`Reply to ${comment.author.name}…`}
                    label={`Reply to ${comment.author.name}`}
                    submitLabel="Reply"
                    autoFocus
                    onCancel={() => setReplyTo(null)}
                    onSubmit={async (text) => {
                      await props.onSubmit(text, comment.id);
                      setReplyTo(null);
                    }}
                  />
                )}
              </>,
            )
          )}
        </ol>
      </div>
      {!readonly && (
        <footer class="tack-window-footer">
          <Composer
            testId="reply"
            user={user}
            suggestedName={props.suggestedName}
            onIdentify={props.onIdentify}
            askName={props.askName}
            placeholder={count ? "Reply…" : "Write a comment…"}
            label="Reply"
            onSubmit={(text) => props.onSubmit(text, null)}
          />
        </footer>
      )}
    </FloatingWindow>
  );
}

/** The current time, refreshed every `intervalMs` while mounted. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function TrashIcon() {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path
        d="M7.5 3.5h5M4 6h12M6 6l.7 9.1a1.5 1.5 0 0 0 1.5 1.4h3.6a1.5 1.5 0 0 0 1.5-1.4L14 6M8.5 9v5M11.5 9v5"
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
        stroke-linecap="round"
      />
    </svg>
  );
}

function CloseIcon() {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path
        d="M5 5l10 10M15 5L5 15"
        fill="none"
        stroke="currentColor"
        stroke-width="1.6"
        stroke-linecap="round"
      />
    </svg>
  );
}
