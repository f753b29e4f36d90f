/**
 * The REST API's request handling, shared by the route files: each function
 * takes the request and the route's parameters, validates the input before
 * anything is stored, and returns the response. Image and text chats differ
 * only by `kind`. Errors are thrown as ApiError; the API middleware turns
 * them into responses.
 *
 * @module
 */

import {
  createSession,
  createSsoSession,
  type Identity,
  requireIdentity,
} from "./auth.ts";
import {
  addComment,
  createChat,
  deleteChat,
  deleteComment,
  editComment,
  listChats,
  listComments,
  type NewChatInput,
} from "./db_chats.ts";
import { json, readJson } from "./http.ts";
import { usageMeter } from "./metrics.ts";
import { type ChatKind } from "./protocol.ts";
import {
  asObject,
  parseDelete,
  parseEditComment,
  parseNewComment,
  parseNewImageChat,
  parseNewTextChat,
  parseSessionInput,
  readUrlId,
} from "./validation.ts";
import { requestGuard } from "./request_guard.ts";

const parseNewChat: Record<ChatKind, (body: unknown) => NewChatInput> = {
  image: parseNewImageChat,
  text: parseNewTextChat,
};

/**
 * The author of a write: a valid identity (see `requireIdentity`) within its
 * write rate (429 otherwise).
 *
 * @example
 * ```ts
 * const author = await requireWriter(req, "demo");
 * ```
 */
export async function requireWriter(
  req: Request,
  tenant: string,
): Promise<Identity> {
  const identity = await requireIdentity(req, tenant);
  requestGuard.checkWriter(tenant, identity.id);
  return identity;
}

/**
 * A write's author (see `requireWriter`) and its body, validated by `parse`;
 * the author is checked first so an unauthorised body is never parsed.
 */
async function readWrite<T>(
  req: Request,
  tenant: string,
  parse: (body: unknown) => T,
): Promise<[Identity, T]> {
  const author = await requireWriter(req, tenant);
  return [author, parse(await readJson(req))];
}

/**
 * `POST /sessions {name}` → 201 `{ token, user, moderator }`, an anonymous
 * session; `POST /sessions {sso}` exchanges a signed SSO payload instead.
 *
 * @example
 * ```ts
 * POST: (req, ctx) => postSession(req, ctx.params.tenant),
 * ```
 */
export async function postSession(
  req: Request,
  tenant: string,
): Promise<Response> {
  const body = await readJson(req);
  const sso = asObject(body).sso;
  if (sso !== undefined) return json(await createSsoSession(tenant, sso), 201);
  const { name } = parseSessionInput(body);
  return json(await createSession(tenant, name), 201);
}

/**
 * `GET /{kind}-chats?urlId=U` → `{ urlId, seq, chats }`.
 *
 * @example
 * ```ts
 * GET: (req, ctx) => getChats(req, ctx.params.tenant, "image"),
 * ```
 */
export async function getChats(
  req: Request,
  tenant: string,
  kind: ChatKind,
): Promise<Response> {
  const params = new URL(req.url).searchParams;
  const urlId = readUrlId({ urlId: params.get("urlId") ?? undefined });
  const { seq, chats } = await listChats(tenant, urlId, kind);
  return json({ urlId, seq, chats });
}

/**
 * `POST /{kind}-chats` → 201 `{ chat, comment, seq }`.
 *
 * @example
 * ```ts
 * POST: (req, ctx) => postChat(req, ctx.params.tenant, "text"),
 * ```
 */
export async function postChat(
  req: Request,
  tenant: string,
  kind: ChatKind,
): Promise<Response> {
  const [author, input] = await readWrite(req, tenant, parseNewChat[kind]);
  const created = await createChat(tenant, input, author);
  usageMeter.conversationCreated(tenant);
  return json(created, 201);
}

/**
 * `DELETE /{kind}-chats/{chatId}` → `{ seq }`.
 *
 * @example
 * ```ts
 * DELETE: (req, ctx) =>
 *   removeChat(req, ctx.params.tenant, ctx.params.chatId, "image"),
 * ```
 */
export async function removeChat(
  req: Request,
  tenant: string,
  chatId: string,
  kind: ChatKind,
): Promise<Response> {
  const [actor, { broadcastId }] = await readWrite(req, tenant, parseDelete);
  return json(await deleteChat(tenant, chatId, kind, actor, broadcastId));
}

/**
 * `GET /chats/{chatId}/comments` → `{ comments }`, oldest first.
 *
 * @example
 * ```ts
 * GET: (_req, ctx) => getComments(ctx.params.tenant, ctx.params.chatId),
 * ```
 */
export async function getComments(
  tenant: string,
  chatId: string,
): Promise<Response> {
  return json({ comments: await listComments(tenant, chatId) });
}

/**
 * `POST /chats/{chatId}/comments` → 201 `{ comment, seq }`.
 *
 * @example
 * ```ts
 * POST: (req, ctx) => postComment(req, ctx.params.tenant, ctx.params.chatId),
 * ```
 */
export async function postComment(
  req: Request,
  tenant: string,
  chatId: string,
): Promise<Response> {
  const [author, input] = await readWrite(req, tenant, parseNewComment);
  const added = await addComment(tenant, chatId, input, author);
  usageMeter.commentAdded(tenant);
  return json(added, 201);
}

/**
 * `PATCH /chats/{chatId}/comments/{commentId}` → `{ comment, seq }`.
 *
 * @example
 * ```ts
 * PATCH: (req, ctx) => patchComment(req, ctx.params.tenant,
 *   ctx.params.chatId, ctx.params.commentId),
 * ```
 */
export async function patchComment(
  req: Request,
  tenant: string,
  chatId: string,
  commentId: string,
): Promise<Response> {
  const [actor, input] = await readWrite(req, tenant, parseEditComment);
  return json(await editComment(tenant, chatId, commentId, input, actor));
}

/**
 * `DELETE /chats/{chatId}/comments/{commentId}` → `{ seq }`.
 *
 * @example
 * ```ts
 * DELETE: (req, ctx) => removeComment(req, ctx.params.tenant,
 *   ctx.params.chatId, ctx.params.commentId),
 * ```
 */
export async function removeComment(
  req: Request,
  tenant: string,
  chatId: string,
  commentId: string,
): Promise<Response> {
  const [actor, { broadcastId }] = await readWrite(req, tenant, parseDelete);
  return json(
    await deleteComment(tenant, chatId, commentId, broadcastId, actor),
  );
}
