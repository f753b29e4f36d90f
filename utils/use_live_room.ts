/**
 * The hook islands use to follow a room: it wires the REST client, the
 * viewer's identity and the live room together once per mount, connects in
 * the browser only, and closes the room on unmount.
 *
 * @module
 */

import { useEffect, useState } from "preact/hooks";
import { ApiClient } from "./api_client.ts";
import { Identity } from "./identity.ts";
import { LiveRoom } from "./live_room.ts";
import type { Chat, ChatKind } from "./protocol.ts";

/** Options of {@linkcode useLiveRoom}. */
export interface UseLiveRoomOptions {
  tenant: string;
  urlId: string;
  kind: ChatKind;
  /** Origin of the Tack server. @default "" (same origin) */
  apiBase?: string;
  /** Server-rendered chats for the first paint. */
  initialChats?: Chat[];
  /** The seq those chats reflect. */
  initialSeq?: number | null;
}

/** What {@linkcode useLiveRoom} gives an island. */
export interface LiveRoomHandle {
  api: ApiClient;
  identity: Identity;
  room: LiveRoom;
}

/**
 * Creates the API client, identity and live room for an island and keeps the
 * room connected while the island is mounted.
 *
 * @example
 * ```tsx
 * const { room, identity } = useLiveRoom({ tenant, urlId, kind: "image" });
 * const chats = [...room.chats.value.values()];
 * ```
 */
export function useLiveRoom(options: UseLiveRoomOptions): LiveRoomHandle {
  const [handle] = useState(() => createLiveRoom(options));
  useEffect(() => {
    handle.room.connect();
    return () => handle.room.close();
  }, [handle]);
  return handle;
}

/** Builds the parts without connecting (the server render uses this too). */
export function createLiveRoom(options: UseLiveRoomOptions): LiveRoomHandle {
  const inBrowser = typeof document !== "undefined";
  // On the server there is no viewer, so no stored identity to read.
  const identity = inBrowser
    ? new Identity(options.tenant)
    : new Identity(options.tenant, null);
  const api = new ApiClient({
    tenant: options.tenant,
    apiBase: options.apiBase,
    getToken: () => identity.token(),
  });
  const room = new LiveRoom({
    api,
    identity,
    urlId: options.urlId,
    kind: options.kind,
    initialChats: options.initialChats,
    initialSeq: options.initialSeq,
  });
  return { api, identity, room };
}
