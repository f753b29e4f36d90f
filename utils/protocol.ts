/**
 * The wire protocol: every type that crosses HTTP or the WebSocket, the
 * limits inputs must keep, and the parsing of WebSocket frames. Shared by the
 * server and the islands, so it imports nothing and touches no Deno or DOM
 * API. Validating what clients send is `validation.ts`'s part.
 *
 * @module
 */

/** Limits that validation enforces. Exported so the UI can show them. */
export const LIMITS = {
  /** Longest comment, in characters after trimming. */
  textMax: 4_000,
  /** Longest room id. */
  urlIdMax: 1_024,
  /** Longest image `src`. */
  srcMax: 2_048,
  /** Longest display name, in characters after trimming. */
  nameMax: 64,
  /** Largest request body, in bytes. */
  bodyBytesMax: 64 * 1024,
  /** Longest quoted passage of a text chat. */
  quoteMax: 5_000,
  /** Longest prefix or suffix of a text anchor. */
  contextMax: 64,
  /** Longest `broadcastId`. */
  broadcastIdMax: 64,
} as const;

/** A person as others see them. */
export interface User {
  id: string;
  name: string;
}

/** Where a text chat sits in its document (W3C Web Annotation style). */
export interface Anchor {
  /** The exact selected text. */
  quote: string;
  /** Up to 32 characters of text before the quote. */
  prefix: string;
  /** Up to 32 characters of text after the quote. */
  suffix: string;
  /** Offset of the quote's first character in the root element's text. */
  start: number;
  /** Offset just past the quote's last character. */
  end: number;
}

interface ChatBase {
  id: string;
  urlId: string;
  commentCount: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
  createdBy: User;
}

/** A marker on an image; `x` and `y` are percentages of its size. */
export interface ImageChat extends ChatBase {
  src: string;
  x: number;
  y: number;
}

/** A discussion on a passage of text. */
export interface TextChat extends ChatBase {
  anchor: Anchor;
}

export type Chat = ImageChat | TextChat;

/** One message in a chat thread. */
export interface Comment {
  id: string;
  chatId: string;
  /** The comment this one replies to, or null at top level. */
  parentId: string | null;
  text: string;
  author: User;
  createdAt: number;
  editedAt: number | null;
}

export type ChatKind = "image" | "text";

/** Event types a room's log holds, by product. */
export type EventType =
  | "new-image-chat"
  | "image-chat-updated"
  | "deleted-image-chat"
  | "new-text-chat"
  | "updated-text-chat"
  | "deleted-text-chat";

/** Names the event for a change of `kind`. */
export const EVENT_TYPES: Record<
  ChatKind,
  { created: EventType; updated: EventType; deleted: EventType }
> = {
  image: {
    created: "new-image-chat",
    updated: "image-chat-updated",
    deleted: "deleted-image-chat",
  },
  text: {
    created: "new-text-chat",
    updated: "updated-text-chat",
    deleted: "deleted-text-chat",
  },
};

/** A committed change to a room, as stored in its log and sent to sockets. */
export interface RoomEvent {
  type: EventType;
  urlId: string;
  seq: number;
  /** The id the writer sent, so that it can ignore its own echo. */
  broadcastId: string;
  /** The chat after the change; `{ id }` alone when it was deleted. */
  chat: Chat | { id: string };
  /** The comment that changed, if one did; `{ id }` alone when deleted. */
  comment?: Comment | { id: string };
}

/** The first message on every socket. */
export interface SyncMessage {
  type: "sync";
  urlId: string;
  seq: number;
  /** True when the missed events follow; false when `chats` is a snapshot. */
  recovered: boolean;
  users: number;
  chats?: Chat[];
}

/** Sent whenever the number of viewers of a room changes. */
export interface UsersMessage {
  type: "users";
  urlId: string;
  count: number;
}

export type ServerMessage = SyncMessage | UsersMessage | RoomEvent;

/** Input of `POST /image-chats`. */
export interface NewImageChatInput {
  urlId: string;
  src: string;
  x: number;
  y: number;
  text: string;
  broadcastId: string;
}

/** Input of `POST /text-chats`. */
export interface NewTextChatInput {
  urlId: string;
  anchor: Anchor;
  text: string;
  broadcastId: string;
}

/** Input of `POST /chats/{id}/comments`. */
export interface NewCommentInput {
  text: string;
  parentId: string | null;
  broadcastId: string;
}

/** Error codes of the wire API, with their HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every error response: `{ error: ApiErrorBody }`. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** True when `chat` is a marker on an image. */
export function isImageChat(chat: Chat): chat is ImageChat {
  return "src" in chat;
}

/**
 * Splits one WebSocket frame into its messages: the server sends one message
 * object, or an array of them when it batches.
 */
export function parseFrame(data: string): ServerMessage[] {
  const parsed = JSON.parse(data);
  return Array.isArray(parsed) ? parsed : [parsed];
}

/**
 * Close code of a socket the server dropped to protect itself (the client
 * fell too far behind reading) or to move it elsewhere: reconnect at once,
 * resuming with `since`, instead of backing off.
 */
export const CLOSE_RESYNC = 4000;

/** Close code of a server going away (shutdown or restart): reconnect now. */
export const CLOSE_GOING_AWAY = 1001;
