import { useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { isPendingId, type LiveRoom } from "../utils/live_room.ts";
import type { Rect } from "../utils/placement.ts";
import type { Chat } from "../utils/protocol.ts";
import type { Viewer } from "../utils/use_viewer.ts";
import { ChatWindow } from "./ChatWindow.tsx";
import { Composer } from "./Composer.tsx";
import { FloatingWindow } from "./FloatingWindow.tsx";

/** Props of {@linkcode RoomChatWindow}. */
export interface RoomChatWindowProps {
  room: LiveRoom;
  viewer: Viewer;
  /** The open discussion. */
  chat: Chat;
  /** Prefills the name field for a first-time writer. */
  suggestedName: string;
  /** No reply box, no edits. */
  readonly: boolean;
  /** 1 allows replies to top-level comments. */
  maxReplyDepth: number;
  /** Window width on wide screens, in pixels. @default 300 */
  width?: number;
  /** Title in the window header. @default "Discussion" */
  title?: string;
  /** Shown above the thread, e.g. the quoted passage. */
  context?: ComponentChildren;
  getAnchorRect: () => Rect | null;
  onClose: () => void;
  /** Told when deleting the whole discussion failed. */
  onError: (error: unknown) => void;
}

/**
 * The window of an open discussion, wired to its live room: the thread
 * loads and updates live, and writes go through the room.
 */
export function RoomChatWindow(props: RoomChatWindowProps) {
  const { room, viewer, chat } = props;
  const [notice, setNotice] = useState<string | null>(null);
  const thread = isPendingId(chat.id) ? null : room.thread(chat.id);
  return (
    <ChatWindow
      chatId={chat.id}
      comments={thread?.comments.value ?? null}
      loadError={thread?.error.value}
      onRetry={() => room.reloadThread(chat.id)}
      user={viewer.user}
      suggestedName={props.suggestedName}
      onIdentify={viewer.identify}
      askName={viewer.askName}
      moderator={viewer.moderator}
      canDeleteChat={viewer.canDeleteChat(chat)}
      readonly={props.readonly}
      maxReplyDepth={props.maxReplyDepth}
      width={props.width}
      title={props.title}
      context={props.context}
      notice={notice}
      getAnchorRect={props.getAnchorRect}
      isPending={isPendingId}
      onClose={props.onClose}
      onSubmit={(text, parentId) => room.addComment(chat.id, text, parentId)}
      onEdit={(commentId, text) => room.editComment(chat.id, commentId, text)}
      onDeleteComment={(commentId) => {
        setNotice(null);
        room.deleteComment(chat.id, commentId).catch((error) =>
          setNotice(error.message)
        );
      }}
      onDeleteChat={() => {
        props.onClose();
        room.deleteChat(chat.id).catch(props.onError);
      }}
    />
  );
}

/** Props of {@linkcode DraftWindow}. */
export interface DraftWindowProps {
  viewer: Viewer;
  /** Prefills the name field for a first-time writer. */
  suggestedName: string;
  /** The window's heading. */
  title: string;
  /** Placeholder of the first comment's text box. */
  placeholder: string;
  /** Window width on wide screens, in pixels. @default 300 */
  width?: number;
  /** Shown between the heading and the text box, e.g. the passage. */
  children?: ComponentChildren;
  getAnchorRect: () => Rect | null;
  /** Creates the discussion with its first comment. */
  onSubmit: (text: string) => Promise<unknown>;
  onClose: () => void;
}

/** The window that starts a discussion: its first comment's composer. */
export function DraftWindow(props: DraftWindowProps) {
  const { viewer } = props;
  return (
    <FloatingWindow
      getAnchorRect={props.getAnchorRect}
      label="Start a discussion"
      onClose={props.onClose}
      width={props.width}
      testId="composer"
      class="tack-composer-window"
    >
      <p class="tack-window-title">{props.title}</p>
      {props.children}
      <Composer
        user={viewer.user}
        suggestedName={props.suggestedName}
        onIdentify={viewer.identify}
        askName={viewer.askName}
        placeholder={props.placeholder}
        label="First comment"
        submitLabel="Post"
        autoFocus
        onCancel={props.onClose}
        onSubmit={props.onSubmit}
      />
    </FloatingWindow>
  );
}
