/**
 * A typed client for Tack's REST API (`/api/v1/{tenant}/…`), used by the
 * islands and by the host-page mount. It turns every refusal into an
 * {@linkcode ApiRequestError} carrying the server's own message, so the UI can
 * show it as it is.
 *
 * @module
 */

import type {
  ApiErrorBody,
  ChatKind,
  Comment,
  ErrorCode,
  ImageChat,
  NewImageChatInput,
  NewTextChatInput,
  TextChat,
  User,
} from "./protocol.ts";
import type { SsoPayload } from "./sso.ts";

/** Why a request failed: an error code of the wire API, or no answer at all. */
export type ApiFailure = ErrorCode | "network" | "server_error";

/** A request the server refused, or one that never reached it. */
export class ApiRequestError extends Error {
  constructor(
    readonly code: ApiFailure,
    message: string,
    /** The HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** The message shown when a request never reached the server. */
export const UNREACHABLE_MESSAGE =
  "Couldn't reach the server — your change wasn't saved. Check your connection and try again.";

/** Options of {@linkcode ApiClient}. */
export interface ApiClientOptions {
  /** Tenant whose API to call. */
  tenant: string;
  /**
   * Origin (or origin plus path prefix) of the Tack server.
   * @default "" (same origin as the page)
   */
  apiBase?: string;
  /**
   * Returns the session token to send as `Authorization: Bearer …`, if any.
   * @default () => null
   */
  getToken?: () => string | null;
  /**
   * The fetch implementation; tests pass a fake.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
}

/** `POST /sessions` result: an identity, its token, and whether it moderates. */
export interface SessionResult {
  token: string;
  user: User;
  /** Only signed SSO grants moderation; anonymous sessions never do. */
  moderator: boolean;
}

/** `GET /image-chats` or `GET /text-chats` result. */
export interface ChatList<C> {
  urlId: string;
  seq: number;
  chats: C[];
}

/** `POST /image-chats` or `POST /text-chats` result. */
export interface CreatedChat<C> {
  chat: C;
  comment: Comment;
  seq: number;
}

const CHAT_PATHS: Record<ChatKind, string> = {
  image: "image-chats",
  text: "text-chats",
};

/** Calls the REST API of one tenant. */
export class ApiClient {
  readonly tenant: string;
  readonly apiBase: string;
  #getToken: () => string | null;
  #fetch: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.tenant = options.tenant;
    this.apiBase = (options.apiBase ?? "").replace(/\/+$/, "");
    this.#getToken = options.getToken ?? (() => null);
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * The URL of `path` under this tenant's API.
   *
   * @example
   * ```ts
   * new ApiClient({ tenant: "demo" }).url("/image-chats"); // "/api/v1/demo/image-chats"
   * ```
   */
  url(path: string): string {
    return `${this.apiBase}/api/v1/${encodeURIComponent(this.tenant)}${path}`;
  }

  /**
   * The WebSocket URL of a room, resolved against `pageUrl` when the API base
   * is relative.
   *
   * @example
   * ```ts
   * client.socketUrl("demo-image", 12, "https://tack.example/demo/image");
   * // "wss://tack.example/api/v1/demo/ws?urlId=demo-image&since=12"
   * ```
   */
  socketUrl(urlId: string, since: number | null, pageUrl: string): string {
    const url = new URL(this.url("/ws"), pageUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("urlId", urlId);
    if (since !== null) url.searchParams.set("since", String(since));
    return url.href;
  }

  /** Creates an anonymous identity: `POST /sessions`. */
  createSession(name: string): Promise<SessionResult> {
    return this.#request("POST", "/sessions", { name });
  }

  /**
   * Exchanges the site's signed SSO payload for a session:
   * `POST /sessions {sso}`.
   */
  createSsoSession(sso: SsoPayload): Promise<SessionResult> {
    return this.#request("POST", "/sessions", { sso });
  }

  /** Lists the chats of a room: `GET /image-chats` or `GET /text-chats`. */
  listChats(kind: "image", urlId: string): Promise<ChatList<ImageChat>>;
  listChats(kind: "text", urlId: string): Promise<ChatList<TextChat>>;
  listChats(
    kind: ChatKind,
    urlId: string,
  ): Promise<ChatList<ImageChat | TextChat>> {
    const query = `?urlId=${encodeURIComponent(urlId)}`;
    return this.#request("GET", `/${CHAT_PATHS[kind]}${query}`);
  }

  /** Creates a marker with its first comment: `POST /image-chats`. */
  createImageChat(input: NewImageChatInput): Promise<CreatedChat<ImageChat>> {
    return this.#request("POST", "/image-chats", input);
  }

  /** Creates a text discussion with its first comment: `POST /text-chats`. */
  createTextChat(input: NewTextChatInput): Promise<CreatedChat<TextChat>> {
    return this.#request("POST", "/text-chats", input);
  }

  /** Deletes a chat and its thread: `DELETE /{kind}-chats/{id}`. */
  deleteChat(
    kind: ChatKind,
    chatId: string,
    broadcastId: string,
  ): Promise<{ seq: number }> {
    const path = `/${CHAT_PATHS[kind]}/${encodeURIComponent(chatId)}`;
    return this.#request("DELETE", path, { broadcastId });
  }

  /** The thread of a chat, oldest first: `GET /chats/{id}/comments`. */
  listComments(chatId: string): Promise<{ comments: Comment[] }> {
    return this.#request("GET", commentsPath(chatId));
  }

  /** Adds a comment or a reply: `POST /chats/{id}/comments`. */
  addComment(
    chatId: string,
    input: { text: string; parentId: string | null; broadcastId: string },
  ): Promise<{ comment: Comment; seq: number }> {
    return this.#request("POST", commentsPath(chatId), input);
  }

  /** Edits one's own comment: `PATCH /chats/{id}/comments/{id}`. */
  editComment(
    chatId: string,
    commentId: string,
    input: { text: string; broadcastId: string },
  ): Promise<{ comment: Comment; seq: number }> {
    return this.#request("PATCH", commentsPath(chatId, commentId), input);
  }

  /** Deletes one's own comment: `DELETE /chats/{id}/comments/{id}`. */
  deleteComment(
    chatId: string,
    commentId: string,
    broadcastId: string,
  ): Promise<{ seq: number }> {
    const path = commentsPath(chatId, commentId);
    return this.#request("DELETE", path, { broadcastId });
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const token = this.#getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.#fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiRequestError("network", UNREACHABLE_MESSAGE, 0);
    }
    const payload = await response.json().catch(() => null);
    if (response.ok) return payload as T;
    throw toRequestError(response, payload);
  }
}

function commentsPath(chatId: string, commentId?: string): string {
  const base = `/chats/${encodeURIComponent(chatId)}/comments`;
  return commentId ? `${base}/${encodeURIComponent(commentId)}` : base;
}

function toRequestError(response: Response, payload: unknown): ApiRequestError {
  const error = (payload as { error?: ApiErrorBody } | null)?.error;
  if (error && typeof error.message === "string") {
    return new ApiRequestError(
      error.code,
      error.message,
      response.status,
      error.field,
    );
  }
  const fallback = response.status === 429
    ? "Too many requests — please wait a moment and try again."
    : `The server could not handle the request (HTTP ${response.status}). Please try again.`;
  const code: ApiFailure = response.status === 429
    ? "rate_limited"
    : "server_error";
  return new ApiRequestError(code, fallback, response.status);
}
