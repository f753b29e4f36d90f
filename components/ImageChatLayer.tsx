import { useCallback, useState } from "preact/hooks";
import type { JSX } from "preact";
import { isPendingId } from "../utils/live_room.ts";
import type { Rect } from "../utils/placement.ts";
import { type ImageChat, isImageChat } from "../utils/protocol.ts";
import {
  type RoomLayerOptions,
  useRoomLayer,
} from "../utils/use_room_layer.ts";
import { useLazyModule } from "../utils/use_lazy.ts";
import {
  describeSpot,
  nudgeSpot,
  type Spot,
  toPercent,
} from "../utils/spot.ts";
import { chatWindows } from "./windows_loader.ts";
import { Toast } from "./Toast.tsx";
import { DraftMarker, Marker } from "./Marker.tsx";
import { OfflineNotice, ReconnectingPill, UserCount } from "./RoomStatus.tsx";

/** Options of Image Chat, shared by the island and the host-page mount. */
export interface ImageChatOptions extends RoomLayerOptions {
  /** Identifies the image (the room); any string up to 1,024 characters. */
  urlId: string;
  /** The image URL, stored with each marker. */
  src: string;
  /** Width of a marker, in percent of the image width. @default 5 */
  chatSquarePercentage?: number;
  /** 1 allows replies to top-level comments; 0 keeps threads flat. @default 0 */
  maxReplyDepth?: number;
  /** Show markers and threads, allow no writes. @default false */
  readonly?: boolean;
  /** Server-rendered markers for the first paint. */
  initialChats?: ImageChat[];
}

/**
 * A discussion being started: where its marker is, and which draft it is.
 * Moving the marker keeps the id, so its window (and what was typed) stays.
 */
type Draft = Spot & { id: number };

let lastDraftId = 0;

/**
 * The interactive overlay of Image Chat: it covers its positioned parent
 * (which holds the image) with markers, the composer and the chat window.
 */
export function ImageChatLayer(props: ImageChatOptions) {
  const {
    chatSquarePercentage = 5,
    maxReplyDepth = 0,
    readonly = false,
  } = props;
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
  } = useRoomLayer<ImageChat>(props, "image", (el) => el?.parentElement);
  const [draft, setDraft] = useState<Draft | null>(null);
  const chats = [...room.chats.value.values()].filter(isImageChat);
  const status = room.status.value;
  const loaded = props.initialChats !== undefined || room.seq.value > 0 ||
    status === "live";

  const markerRect = useCallback((chatId: string): Rect | null => {
    const el = layer.current?.querySelector(
      `[data-chat-id="${CSS.escape(chatId)}"]`,
    );
    return el?.getBoundingClientRect() ?? null;
  }, []);
  const selectedRect = useCallback(
    () => selected ? markerRect(selected) : null,
    [selected],
  );
  const draftRect = useCallback(
    () =>
      layer.current?.querySelector("[data-testid=draft-marker]")
        ?.getBoundingClientRect() ?? null,
    [draft],
  );

  /** Starts a discussion at `spot`, or moves the one being started there. */
  function placeDraft(spot: Spot) {
    setSelected(null);
    setDraft((current) => ({ ...spot, id: current?.id ?? ++lastDraftId }));
  }

  function onLayerClick(event: JSX.TargetedMouseEvent<HTMLDivElement>) {
    if (event.target !== event.currentTarget || readonly) return;
    const box = event.currentTarget.getBoundingClientRect();
    placeDraft({
      x: toPercent(event.clientX - box.left, box.width),
      y: toPercent(event.clientY - box.top, box.height),
    });
  }

  function open(chatId: string) {
    setDraft(null);
    setSelected(chatId === selected ? null : chatId);
  }

  // The windows' code arrives on first need, or as soon as the pointer or
  // focus comes to the image, so opening a marker does not wait for it.
  const windows = useLazyModule(
    chatWindows,
    draft !== null || selectedChat !== undefined,
    [layer],
    // Nothing opened: the next click or selection tries again.
    (error) => {
      fail(error);
      setDraft(null);
      setSelected(null);
    },
  );

  return (
    <div
      ref={layer}
      class="tack tack-layer"
      data-theme={dark ? "dark" : "light"}
      data-readonly={readonly || undefined}
      onClick={onLayerClick}
      onMouseDown={(event) => {
        // Moving a draft's marker by clicking keeps focus in its text box.
        if (draft && event.target === event.currentTarget) {
          event.preventDefault();
        }
      }}
    >
      {chats.map((chat) => (
        <Marker
          key={chat.id}
          chat={chat}
          sizePercent={chatSquarePercentage}
          selected={chat.id === selected}
          pending={isPendingId(chat.id)}
          onOpen={() => open(chat.id)}
        />
      ))}
      {draft && <DraftMarker {...draft} sizePercent={chatSquarePercentage} />}

      <div class="tack-corner">
        <ReconnectingPill status={status} />
        <UserCount count={room.users.value} />
      </div>
      <OfflineNotice status={status} />
      {!loaded && (
        <p class="tack-pill tack-hint-pill" role="status">
          <span class="tack-spinner" aria-hidden="true" /> Loading discussions…
        </p>
      )}
      {loaded && chats.length === 0 && !draft && !readonly && (
        <p class="tack-pill tack-hint-pill" data-testid="empty">
          Click or tap anywhere on the image to start a discussion
        </p>
      )}
      {!readonly && (
        <button
          type="button"
          class="tack-pill tack-add"
          onClick={(event) => {
            event.stopPropagation();
            placeDraft({ x: 50, y: 50 });
          }}
        >
          Add a comment
        </button>
      )}
      {toast && <Toast message={toast} onDismiss={dismissToast} />}

      {draft && windows && (
        <windows.DraftWindow
          key={draft.id}
          viewer={viewer}
          suggestedName={suggestedName}
          title="Start a discussion here"
          placeholder="What do you see here?"
          getAnchorRect={draftRect}
          onClose={() => setDraft(null)}
          onSubmit={async (text) => {
            const chat = await room.createChat(
              { src: props.src, x: draft.x, y: draft.y },
              text,
            );
            setDraft(null);
            setSelected(chat.id);
          }}
        >
          <windows.SpotPreview src={props.src} x={draft.x} y={draft.y} />
          <windows.MarkerMover
            where={describeSpot(draft)}
            onNudge={(key, big) => {
              const spot = nudgeSpot(draft, key, big);
              if (spot) setDraft({ ...draft, ...spot });
              return spot !== null;
            }}
          />
        </windows.DraftWindow>
      )}

      {selectedChat && windows && (
        <windows.RoomChatWindow
          key={selectedChat.id}
          room={room}
          viewer={viewer}
          chat={selectedChat}
          suggestedName={suggestedName}
          readonly={readonly}
          maxReplyDepth={maxReplyDepth}
          getAnchorRect={selectedRect}
          title={`${selectedChat.createdBy.name}'s discussion`}
          context={
            <windows.SpotPreview
              src={props.src}
              x={selectedChat.x}
              y={selectedChat.y}
            />
          }
          onClose={() => setSelected(null)}
          onError={fail}
        />
      )}
    </div>
  );
}
