import { useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { Comment, User } from "../utils/protocol.ts";
import { absoluteTime, relativeTime } from "../utils/time.ts";
import { Composer } from "./Composer.tsx";
import { LinkifiedText } from "./LinkifiedText.tsx";
import { Avatar } from "./Avatar.tsx";

/** Props of {@linkcode CommentItem}. */
export interface CommentItemProps {
  comment: Comment;
  /** The viewer; their own comments get edit and delete. */
  user: User | null;
  /** The viewer moderates: anyone's comment gets delete, never edit. @default false */
  moderator?: boolean;
  /** Not yet stored: shown dimmed, without actions. */
  pending: boolean;
  readonly: boolean;
  /** Shows a reply action. */
  onReply?: () => void;
  onEdit: (text: string) => Promise<unknown>;
  onDelete: () => void;
  /** Clock for relative times. */
  now: number;
  /** Replies and the reply box, shown under the comment. */
  children?: ComponentChildren;
}

/** One comment: author, relative time, text, and its actions. */
export function CommentItem(props: CommentItemProps) {
  const { comment, user, pending, readonly } = props;
  const [editing, setEditing] = useState(false);
  const own = !readonly && !pending && user?.id === comment.author.id;
  const deletable = own || (!readonly && !pending && props.moderator === true);
  return (
    <li
      class={pending ? "tack-comment tack-pending" : "tack-comment"}
      data-testid="comment"
      data-comment-id={comment.id}
      aria-busy={pending || undefined}
    >
      <Avatar name={comment.author.name} />
      <div class="tack-comment-body">
        <header>
          <strong class="tack-author">{comment.author.name}</strong>
          <time
            dateTime={new Date(comment.createdAt).toISOString()}
            title={absoluteTime(comment.createdAt)}
          >
            {pending ? "sending…" : relativeTime(comment.createdAt, props.now)}
          </time>
          {comment.editedAt !== null && (
            <span class="tack-edited" title={absoluteTime(comment.editedAt)}>
              edited
            </span>
          )}
        </header>
        {editing
          ? (
            <Composer
              user={user}
              onIdentify={() => Promise.resolve()}
              initialText={comment.text}
              submitLabel="Save"
              label="Edit comment"
              autoFocus
              onCancel={() => setEditing(false)}
              onSubmit={async (text) => {
                await props.onEdit(text);
                setEditing(false);
              }}
            />
          )
          : (
            <p class="tack-text">
              <LinkifiedText text={comment.text} />
            </p>
          )}
        {!editing && (props.onReply || deletable) && (
          <div class="tack-comment-actions">
            {props.onReply && !pending && (
              <button type="button" class="tack-link" onClick={props.onReply}>
                Reply
              </button>
            )}
            {own && (
              <button
                type="button"
                class="tack-link"
                data-testid="edit-comment"
                onClick={() => setEditing(true)}
              >
                Edit
              </button>
            )}
            {deletable && (
              <button
                type="button"
                class="tack-link tack-danger"
                data-testid="delete-comment"
                onClick={props.onDelete}
              >
                Delete
              </button>
            )}
          </div>
        )}
        {props.children}
      </div>
    </li>
  );
}
