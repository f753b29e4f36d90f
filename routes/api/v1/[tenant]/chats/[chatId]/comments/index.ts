import type { Handlers } from "$fresh/server.ts";
import {
  getComments,
  postComment,
} from "../../../../../../../utils/chat_api.ts";

/** `/api/v1/{tenant}/chats/{chatId}/comments`: read a thread, add to it. */
export const handler: Handlers = {
  GET: (_req, ctx) => getComments(ctx.params.tenant, ctx.params.chatId),
  POST: (req, ctx) => postComment(req, ctx.params.tenant, ctx.params.chatId),
};
