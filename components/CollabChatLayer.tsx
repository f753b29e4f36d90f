import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "preact/hooks";
import type { RefObject } from "preact";
import { describe } from "../utils/anchoring.ts";
import { highlightsAt, rangeFromOffsets } from "../utils/highlight.ts";
import { guestName } from "../utils/identity.ts";
import { isPendingId } from "../utils/live_room.ts";
import type { Rect } from "../utils/placement.ts";
import { isImageChat, type TextChat } from "../utils/protocol.ts";
import { detectDarkBackground } from "../utils/theme.ts";
import { useHighlights } from "../utils/use_highlights.ts";
import { useLiveRoom } from "../utils/use_live_room.ts";
import { useViewer } from "../utils/use_viewer.ts";
import { useEmbedFrame } from "../utils/use_embed_frame.ts";
import { useLazyModule } from "../utils/use_lazy.ts";
import type { SsoPayload } from "../utils/sso.ts";
import {
  type SettledSelection,
  useSettledSelection,
} from "../utils/use_settled_selection.ts";
import { chatWindows } from "./windows_loader.ts";
import { Portal } from "./Portal.tsx";
import { OrphansPanel, shorten } from "./OrphansPanel.tsx";
import { OfflineNotice } from "./RoomStatus.tsx";
import { TopBar } from "./TopBar.tsx";

/** Options of Collab Chat, shared by the island and host-page mounts. */
export interface CollabChatOptions {
  /** The tenant the discussions belong to. */
  tenant: string;
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
  /** Dark styling; detected from the page's background when not given. */
  hasDarkBackground?: boolean;
  /** Origin of the Tack server. @default "" (same origin) */
  apiBase?: string;
  /** 1 allows replies to top-level comments; 0 keeps threads flat. @default 1 */
  maxReplyDepth?: number;
  /** Server-rendered chats, for the first paint of the counts. */
  initialChats?: TextChat[];
  /** The seq `initialChats` reflect, so the live client resumes from it. */
  initialSeq?: number | null;
  /**
   * The site's signed SSO payload (see `docs/api.md`): viewers write as the
   * site's user, without being asked for a name, and the site's moderators
   * may delete anyone's discussions and comments. Inside the iframe embed
   * the parent page sends it instead (`embed_sso.ts`).
   */
  sso?: SsoPayload | null;
  /**
   * Inside Tack's iframe embed: report the height to the parent and take the
   * SSO payload from it.
   * @default false
   */
  embedded?: boolean;
}

/** Props of {@linkcode CollabChatLayer}: the options and the content. */
export interface CollabChatLayerProps extends CollabChatOptions {
  /** The element whose text is annotated. */
  root: RefObject<HTMLElement>;
}

/** Chat window width on wide screens, in pixels. */
const WINDOW_WIDTH = 410;
const TOAST_MS = 6_000;
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
  const live = useLiveRoom({
    tenant: props.tenant,
    urlId: props.urlId,
    kind: "text",
    apiBase: props.apiBase,
    initialChats: props.initialChats,
    initialSeq: props.initialSeq,
  });
  const { room } = live;
  const layer = useRef<HTMLDivElement>(null);
  const chatMap = room.chats.value;
  const chats = useMemo(
    () => [...chatMap.values()].filter((c) => !isImageChat(c)) as TextChat[],
    [chatMap],
  );
  const { orphans, rectOf } = useHighlights(root, chats);
  const [selection, clearSelection] = useSettledSelection(root, {
    delayMs: props.selectionDelayMs,
    enabled: !readonly,
  });
  const [draft, setDraft] = useState<SettledSelection | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [overlap, setOverlap] = useState<string[]>([]);
  const [toast, setToast] = useState<string | null>(null);
  const [windowNotice, setWindowNotice] = useState<string | null>(null);
  const [dark, setDark] = useState(props.hasDarkBackground ?? false);
  const [topBarHost, setTopBarHost] = useState<Element | null>(null);
  const suggestedName = useMemo(() => guestName(), []);
  const fail = (error: unknown) =>
    setToast(error instanceof Error ? error.message : String(error));
  const viewer = useViewer(live, {
    sso: props.sso,
    ssoFromParent: props.embedded,
    onSsoError: fail,
  });
  const { user, identify } = viewer;

  useEffect(() => {
    if (props.hasDarkBackground === undefined && root.current) {
      setDark(detectDarkBackground(root.current));
    }
    if (typeof props.topBarTarget === "string") {
      setTopBarHost(document.querySelector(props.topBarTarget));
    }
  }, []);
  useEmbedFrame(props.embedded ?? false);

  const open = (chatId: string, overlapping: string[] = []) => {
    setDraft(null);
    setWindowNotice(null);
    setOverlap(overlapping);
    setSelected(chatId);
  };

  // A click on a highlight opens its discussion; where highlights overlap,
  // the innermost opens and the window offers the others.
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const onClick = (event: MouseEvent) => {
      const target = event.target as Element | null;
      if (target?.closest(INTERACTIVE)) return;
      if (!document.getSelection()?.isCollapsed) return;
      const ids = highlightsAt(target, el);
      if (ids.length > 0) open(ids[0], ids.length > 1 ? ids : []);
    };
    el.addEventListener("click", onClick);
    return () => el.removeEventListener("click", onClick);
  }, []);

  // The open discussion was deleted (here or elsewhere): close its window.
  const selectedChat = selected ? chatMap.get(selected) as TextChat : undefined;
  useEffect(() => {
    if (selected && !selectedChat) setSelected(null);
  }, [selected, selectedChat]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

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

  async function startDiscussion(text: string) {
    const el = root.current;
    if (!el || !draft) return;
    const anchor = describe(el.textContent ?? "", draft.start, draft.end);
    const chat = await room.createChat({ anchor }, text);
    setDraft(null);
    open(chat.id);
  }

  // The windows' code arrives on first need, or as soon as the pointer or
  // focus comes to the widget or its content, so opening one does not wait.
  const windows = useLazyModule(
    chatWindows,
    draft !== null || selectedChat !== undefined,
    [layer, root],
    fail,
  );
  const thread = selectedChat && !isPendingId(selectedChat.id)
    ? room.thread(selectedChat.id)
    : null;
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
      <OrphansPanel orphans={orphans} selected={selected} onOpen={open} />

      {selection && !draft && !readonly && (
        <SelectionPrompt
          getRect={() => passageRect(selection)}
          onStart={() => {
            setSelected(null);
            setDraft(selection);
            clearSelection();
          }}
        />
      )}

      {toast && (
        <div class="tack-toast" role="alert">
          {toast}
          <button
            type="button"
            class="tack-icon-btn"
            aria-label="Dismiss"
            onClick={() => setToast(null)}
          >
            ×
          </button>
        </div>
      )}

      {draft && windows && (
        <windows.FloatingWindow
          key={`${draft.start}:${draft.end}`}
          getAnchorRect={draftRect}
          label="Start a discussion"
          onClose={() => setDraft(null)}
          width={WINDOW_WIDTH}
          testId="composer"
          class="tack-composer-window"
        >
          <p class="tack-window-title">Start a discussion</p>
          <Quote
            text={(root.current?.textContent ?? "").slice(
              draft.start,
              draft.end,
            )}
          />
          <windows.Composer
            user={user}
            suggestedName={suggestedName}
            onIdentify={identify}
            askName={viewer.askName}
            placeholder="What do you think about this passage?"
            label="First comment"
            submitLabel="Post"
            autoFocus
            onCancel={() => setDraft(null)}
            onSubmit={startDiscussion}
          />
        </windows.FloatingWindow>
      )}

      {selectedChat && windows && (
        <windows.ChatWindow
          key={selectedChat.id}
          chatId={selectedChat.id}
          comments={thread?.comments.value ?? null}
          loadError={thread?.error.value}
          onRetry={() => room.reloadThread(selectedChat.id)}
          user={user}
          suggestedName={suggestedName}
          onIdentify={identify}
          askName={viewer.askName}
          moderator={viewer.moderator}
          canDeleteChat={viewer.canDeleteChat(selectedChat)}
          readonly={readonly}
          maxReplyDepth={maxReplyDepth}
          width={WINDOW_WIDTH}
          title={`${selectedChat.createdBy.name}'s discussion`}
          context={
            <>
              <Quote text={selectedChat.anchor.quote} />
              <OverlapSwitcher
                ids={overlap}
                current={selectedChat.id}
                chats={chatMap}
                onOpen={(id) => open(id, overlap)}
              />
            </>
          }
          notice={windowNotice}
          getAnchorRect={selectedRect}
          isPending={isPendingId}
          onClose={() => setSelected(null)}
          onSubmit={(text, parentId) =>
            room.addComment(selectedChat.id, text, parentId)}
          onEdit={(commentId, text) =>
            room.editComment(selectedChat.id, commentId, text)}
          onDeleteComment={(commentId) => {
            setWindowNotice(null);
            room.deleteComment(selectedChat.id, commentId).catch((error) =>
              setWindowNotice(error.message)
            );
          }}
          onDeleteChat={() => {
            setSelected(null);
            room.deleteChat(selectedChat.id).catch(fail);
          }}
        />
      )}
    </div>
  );
}

/** The "Start discussion" button, just below the end of the selection. */
function SelectionPrompt(
  { getRect, onStart }: { getRect: () => Rect | null; onStart: () => void },
) {
  // Follow the passage when the page scrolls or resizes.
  const [, setLayoutTick] = useState(0);
  useEffect(() => {
    const relayout = () => setLayoutTick((n) => n + 1);
    addEventListener("scroll", relayout, { capture: true, passive: true });
    addEventListener("resize", relayout);
    return () => {
      removeEventListener("scroll", relayout, { capture: true });
      removeEventListener("resize", relayout);
    };
  }, []);
  const rect = getRect();
  if (!rect) return null;
  const left = Math.max(
    8,
    Math.min(rect.left + rect.width / 2, innerWidth - 8),
  );
  const top = rect.top + rect.height + 8;
  return (
    <button
      type="button"
      class="tack-pill tack-start-discussion"
      data-testid="start-discussion"
      style={`left:${left}px;top:${top}px`}
      // Keep the reader's selection while the button is pressed.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onStart}
    >
      Start discussion
    </button>
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
