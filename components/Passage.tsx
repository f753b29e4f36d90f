import type { RefObject } from "preact";
import type { LiveRoom } from "../utils/live_room.ts";
import type { Rect } from "../utils/placement.ts";
import type { TextChat } from "../utils/protocol.ts";
import type { SettledSelection } from "../utils/use_settled_selection.ts";
import type { Viewer } from "../utils/use_viewer.ts";
import { shorten } from "./OrphansPanel.tsx";
import { DraftWindow, RoomChatWindow } from "./RoomWindows.tsx";

/** Chat window width on wide screens, in pixels. */
const WINDOW_WIDTH = 410;

/** Props of {@linkcode PassageDraftWindow}. */
export interface PassageDraftWindowProps {
  /** The element whose text is annotated. */
  root: RefObject<HTMLElement>;
  /** The passage to discuss. */
  draft: SettledSelection;
  room: LiveRoom;
  viewer: Viewer;
  /** Prefills the name field for a first-time writer. */
  suggestedName: string;
  getAnchorRect: () => Rect | null;
  onClose: () => void;
  /** The discussion was stored under `chatId`. */
  onCreated: (chatId: string) => void;
}

/** The window that starts a discussion on a passage. */
export function PassageDraftWindow(props: PassageDraftWindowProps) {
  const { root, draft } = props;
  const text = () => root.current?.textContent ?? "";
  return (
    <DraftWindow
      viewer={props.viewer}
      suggestedName={props.suggestedName}
      title="Start a discussion"
      placeholder="What do you think about this passage?"
      width={WINDOW_WIDTH}
      getAnchorRect={props.getAnchorRect}
      onClose={props.onClose}
      onSubmit={async (comment) => {
        // Offline, say so rather than fail to fetch the code below.
        props.room.assertOnline();
        const { describe } = await import("../utils/anchoring.ts");
        const anchor = describe(text(), draft.start, draft.end);
        const chat = await props.room.createChat({ anchor }, comment);
        props.onCreated(chat.id);
      }}
    >
      <Quote text={text().slice(draft.start, draft.end)} />
    </DraftWindow>
  );
}

/** Props of {@linkcode PassageChatWindow}. */
export interface PassageChatWindowProps {
  room: LiveRoom;
  viewer: Viewer;
  /** The open discussion. */
  chat: TextChat;
  /** Every chat of the room, to name the overlapping ones. */
  chats: ReadonlyMap<string, unknown>;
  /** Discussions on the clicked spot, where highlights overlap. */
  overlap: string[];
  /** Prefills the name field for a first-time writer. */
  suggestedName: string;
  /** No reply box, no edits. */
  readonly: boolean;
  /** 1 allows replies to top-level comments. */
  maxReplyDepth: number;
  getAnchorRect: () => Rect | null;
  /** Opens another of the overlapping discussions. */
  onOpen: (chatId: string) => void;
  onClose: () => void;
  /** Told when deleting the whole discussion failed. */
  onError: (error: unknown) => void;
}

/** The window of a discussion on a passage, with the passage quoted. */
export function PassageChatWindow(props: PassageChatWindowProps) {
  const { chat } = props;
  return (
    <RoomChatWindow
      room={props.room}
      viewer={props.viewer}
      chat={chat}
      suggestedName={props.suggestedName}
      readonly={props.readonly}
      maxReplyDepth={props.maxReplyDepth}
      width={WINDOW_WIDTH}
      title={`${chat.createdBy.name}'s discussion`}
      context={
        <>
          <Quote text={chat.anchor.quote} />
          <OverlapSwitcher
            ids={props.overlap}
            current={chat.id}
            chats={props.chats}
            onOpen={props.onOpen}
          />
        </>
      }
      getAnchorRect={props.getAnchorRect}
      onClose={props.onClose}
      onError={props.onError}
    />
  );
}

/** The passage a discussion is about. */
function Quote({ text }: { text: string }) {
  return <blockquote class="tack-quote">{shorten(text, 280)}</blockquote>;
}

/** Other discussions on the clicked spot, where highlights overlap. */
function OverlapSwitcher(props: {
  ids: string[];
  current: string;
  chats: ReadonlyMap<string, unknown>;
  onOpen: (chatId: string) => void;
}) {
  const others = props.ids
    .filter((id) => id !== props.current)
    .map((id) => props.chats.get(id) as TextChat | undefined)
    .filter((chat): chat is TextChat => chat !== undefined);
  if (others.length === 0) return null;
  return (
    <div class="tack-overlap" data-testid="highlight-picker">
      <span class="tack-muted">Also on this passage:</span>
      {others.map((chat) => (
        <button
          key={chat.id}
          type="button"
          class="tack-link"
          data-testid="highlight-choice"
          data-chat-id={chat.id}
          onClick={() => props.onOpen(chat.id)}
        >
          {chat.createdBy.name}: “{shorten(chat.anchor.quote, 40)}”
        </button>
      ))}
    </div>
  );
}
