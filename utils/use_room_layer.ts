/**
 * The wiring both chat layers (Image Chat and Collab Chat) share: the live
 * room, the viewer, the open discussion, the error toast, the theme and the
 * iframe embed's frame.
 *
 * @module
 */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { RefObject } from "preact";
import { guestName } from "./identity.ts";
import type { Chat, ChatKind } from "./protocol.ts";
import type { SsoPayload } from "./sso.ts";
import { detectDarkBackground } from "./theme.ts";
import { useEmbedFrame } from "./use_embed_frame.ts";
import { type LiveRoomHandle, useLiveRoom } from "./use_live_room.ts";
import { useViewer, type Viewer } from "./use_viewer.ts";

/**
 * The options both chat layers take (and {@linkcode useRoomLayer} reads);
 * each layer adds its own.
 */
export interface RoomLayerOptions {
  /** The tenant the discussions belong to. */
  tenant: string;
  /** Identifies the room; any string up to 1,024 characters. */
  urlId: string;
  /** Dark styling; detected from the page's background when not given. */
  hasDarkBackground?: boolean;
  /** Origin of the Tack server. @default "" (same origin) */
  apiBase?: string;
  /** Server-rendered chats for the first paint. */
  initialChats?: Chat[];
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

/** Shown when the discussion a viewer has open is deleted elsewhere. */
export const CHAT_DELETED_MESSAGE = "This discussion was deleted.";

/** What {@linkcode useRoomLayer} gives a chat layer. */
export interface RoomLayer<C extends Chat = Chat> extends LiveRoomHandle {
  viewer: Viewer;
  /** The layer's own element. */
  layer: RefObject<HTMLDivElement>;
  /** The id of the open discussion. */
  selected: string | null;
  setSelected: (chatId: string | null) => void;
  /** The open discussion; undefined once it is deleted. */
  selectedChat: C | undefined;
  /** The message of the error toast, if one shows. */
  toast: string | null;
  dismissToast: () => void;
  /** Shows an error in the toast. */
  fail: (error: unknown) => void;
  /** Whether to use the dark theme. */
  dark: boolean;
  /** Prefills the name field for a first-time writer. */
  suggestedName: string;
}

/**
 * Follows the room of a chat layer and holds the state both layers share.
 * Without `hasDarkBackground`, the theme is detected once mounted from the
 * element `themeSource` returns. `C` is the kind's chat type.
 *
 * @example
 * ```tsx
 * // Image Chat takes its theme from the image's container.
 * const { room, layer, selectedChat, fail } = useRoomLayer(
 *   props,
 *   "image",
 *   (el) => el?.parentElement,
 * );
 * ```
 */
export function useRoomLayer<C extends Chat = Chat>(
  options: RoomLayerOptions,
  kind: ChatKind,
  themeSource: (layer: HTMLDivElement | null) => Element | null | undefined,
): RoomLayer<C> {
  const live = useLiveRoom({
    tenant: options.tenant,
    urlId: options.urlId,
    kind,
    apiBase: options.apiBase,
    initialChats: options.initialChats,
    initialSeq: options.initialSeq,
  });
  const layer = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [dark, setDark] = useState(options.hasDarkBackground ?? false);
  const suggestedName = useMemo(() => guestName(), []);
  const fail = (error: unknown) =>
    setToast(error instanceof Error ? error.message : String(error));
  const viewer = useViewer(live, {
    sso: options.sso,
    ssoFromParent: options.embedded,
    onSsoError: fail,
  });

  useEffect(() => {
    const source = themeSource(layer.current);
    if (options.hasDarkBackground === undefined && source) {
      setDark(detectDarkBackground(source));
    }
  }, []);
  useEmbedFrame(options.embedded ?? false);

  // The open discussion was deleted elsewhere (this viewer's own delete
  // closes the window first): close it and say why it went away.
  // A room holds chats of its own kind only.
  const selectedChat = selected
    ? live.room.chats.value.get(selected) as C | undefined
    : undefined;
  useEffect(() => {
    if (!selected || selectedChat) return;
    setSelected(null);
    setToast(CHAT_DELETED_MESSAGE);
  }, [selected, selectedChat]);

  return {
    ...live,
    viewer,
    layer,
    selected,
    setSelected,
    selectedChat,
    toast,
    dismissToast: () => setToast(null),
    fail,
    dark,
    suggestedName,
  };
}
