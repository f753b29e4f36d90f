import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { RefObject } from "preact";
import {
  HIGHLIGHT_CLASS,
  highlightsAt,
  rangeFromOffsets,
} from "../utils/highlight.ts";
import type { Rect } from "../utils/placement.ts";
import { isImageChat, type TextChat } from "../utils/protocol.ts";
import { useHighlights } from "../utils/use_highlights.ts";
import {
  type RoomLayerOptions,
  useRoomLayer,
} from "../utils/use_room_layer.ts";
import { useLazyModule } from "../utils/use_lazy.ts";
import type { SettledSelection } from "../utils/use_settled_selection.ts";
import { chatWindows } from "./windows_loader.ts";
import { Toast } from "./Toast.tsx";
import { Portal } from "./Portal.tsx";
import { OfflineNotice } from "./RoomStatus.tsx";
import { TopBar } from "./TopBar.tsx";

/** Options of Collab Chat, shared by the island and host-page mounts. */
export interface CollabChatOptions extends RoomLayerOptions {
  /** Identifies the document (the room); any string up to 1,024 characters. */
  urlId: string;
  /**
   * Quiet time after a selection changes before the "Start discussion"
   * prompt appears; touch devices show it at once.
   * @default 500
   */
  selectionDelayMs?: number;
  /**
   * Where the top bar goes: a CSS selector of an element elsewhere on the
   * page, or null to hide it.
   * @default undefined (a bar at the top of the widget)
   */
  topBarTarget?: string | null;
  /** Show highlights and threads, allow no writes. @default false */
  readonly?: boolean;
  /** 1 allows replies to top-level comments; 0 keeps threads flat. @default 1 */
  maxReplyDepth?: number;
  /** Server-rendered chats, for the first paint of the counts. */
  initialChats?: TextChat[];
}

/** Props of {@linkcode CollabChatLayer}: the options and the content. */
export interface CollabChatLayerProps extends CollabChatOptions {
  /** The element whose text is annotated. */
  root: RefObject<HTMLElement>;
}

// Clicks on the page's own controls inside the content stay theirs.
const INTERACTIVE = "a[href], button, input, select, textarea, label, summary";

/**
 * Collab Chat's interactive layer for a content element: highlights, the
 * "Start discussion" prompt, the composer, chat windows, the orphans panel
 * and the top bar. It renders beside the content, never inside it; the
 * content's DOM is only touched to add and remove highlight marks.
 */
export function CollabChatLayer(props: CollabChatLayerProps) {
  const { root, readonly = false, maxReplyDepth = 1 } = props;
  const {
    room,
    viewer,
    layer,
    selected,
    setSelected,
    selectedChat,
    toast,
    dismissToast,
    fail,
    dark,
    suggestedName,
  } = useRoomLayer<TextChat>(props, "text", () => root.current);
  const chatMap = room.chats.value;
  const chats = useMemo(
    () => [...chatMap.values()].filter((c) => !isImageChat(c)) as TextChat[],
    [chatMap],
  );
  const { orphans, rectOf } = useHighlights(root, chats);
  const [draft, setDraft] = useState<SettledSelection | null>(null);
  const [overlap, setOverlap] = useState<string[]>([]);
  const [topBarHost, setTopBarHost] = useState<Element | null>(null);

  useEffect(() => {
    if (typeof props.topBarTarget === "string") {
      setTopBarHost(document.querySelector(props.topBarTarget));
    }
  }, []);

  const open = (chatId: string, overlapping: string[] = []) => {
    setDraft(null);
    setOverlap(overlapping);
    setSelected(chatId);
  };

  // A click on a highlight opens its discussion (so does Enter or Space on a
  // focused one); where highlights overlap, the innermost opens and the
  // window offers the others.
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const onActivate = (event: MouseEvent | KeyboardEvent) => {
      const target = event.target as Element | null;
      if ("key" in event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        if (!target?.classList.contains(HIGHLIGHT_CLASS)) return;
        event.preventDefault();
      } else if (target?.closest(INTERACTIVE)) return;
      if (!document.getSelection()?.isCollapsed) return;
      const ids = highlightsAt(target, el);
      if (ids.length > 0) open(ids[0], ids.length > 1 ? ids : []);
    };
    el.addEventListener("click", onActivate);
    el.addEventListener("keydown", onActivate);
    return () => {
      el.removeEventListener("click", onActivate);
      el.removeEventListener("keydown", onActivate);
    };
  }, []);

  const passageRect = (span: SettledSelection | null): Rect | null => {
    if (!span || !root.current) return null;
    return rangeFromOffsets(root.current, span.start, span.end)
      ?.getBoundingClientRect() ?? null;
  };
  const draftRect = useCallback(() => passageRect(draft), [draft]);
  const selectedRect = useCallback((): Rect | null => {
    if (!selected) return null;
    const orphan = layer.current?.querySelector(
      `[data-testid=orphan][data-chat-id="${CSS.escape(selected)}"]`,
    );
    return orphan?.getBoundingClientRect() ?? rectOf(selected);
  }, [selected, orphans]);

  // The prompt's and the windows' code arrives once the reader selects
  // something or opens a discussion, or earlier, as soon as the pointer or
  // focus comes to the widget or its content, so nothing waits for it.
  // Orphans need it too, but they only exist once the text has changed,
  // which loads the matcher anyway (`use_highlights.ts`).
  const [selecting, setSelecting] = useState(false);
  useEffect(() => {
    if (readonly || selecting) return;
    const onChange = () => {
      if (!document.getSelection()?.isCollapsed) setSelecting(true);
    };
    document.addEventListener("selectionchange", onChange);
    return () => document.removeEventListener("selectionchange", onChange);
  }, [readonly, selecting]);
  const windows = useLazyModule(
    chatWindows,
    selecting || draft !== null || selectedChat !== undefined ||
      orphans.length > 0,
    [layer, root],
    // Nothing opened: the next click or selection tries again.
    (error) => {
      fail(error);
      setDraft(null);
      setSelected(null);
    },
  );
  const topBar = props.topBarTarget === null ? null : (
    <TopBar
      users={room.users.value}
      chats={chats.length}
      status={room.status.value}
    />
  );

  return (
    <div
      ref={layer}
      class="tack tack-collab-layer"
      data-theme={dark ? "dark" : "light"}
      data-readonly={readonly || undefined}
    >
      {typeof props.topBarTarget === "string"
        ? topBarHost && topBar && <Portal host={topBarHost}>{topBar}</Portal>
        : topBar}
      <OfflineNotice status={room.status.value} />
      {windows && (
        <windows.OrphansPanel
          orphans={orphans}
          selected={selected}
          onOpen={open}
        />
      )}

      {windows && !readonly && (
        <windows.SelectionPrompt
          root={root}
          delayMs={props.selectionDelayMs}
          hidden={draft !== null}
          getRect={passageRect}
          onStart={(selection) => {
            setSelected(null);
            setDraft(selection);
          }}
        />
      )}

      {toast && <Toast message={toast} onDismiss={dismissToast} />}

      {draft && windows && (
        <windows.PassageDraftWindow
          key={`${draft.start}:${draft.end}`}
          root={root}
          draft={draft}
          room={room}
          viewer={viewer}
          suggestedName={suggestedName}
          getAnchorRect={draftRect}
          onClose={() => setDraft(null)}
          onCreated={open}
        />
      )}

      {selectedChat && windows && (
        <windows.PassageChatWindow
          key={selectedChat.id}
          room={room}
          viewer={viewer}
          chat={selectedChat}
          chats={chatMap}
          overlap={overlap}
          suggestedName={suggestedName}
          readonly={readonly}
          maxReplyDepth={maxReplyDepth}
          getAnchorRect={selectedRect}
          onOpen={(id) => open(id, overlap)}
          onClose={() => setSelected(null)}
          onError={fail}
        />
      )}
    </div>
  );
}
