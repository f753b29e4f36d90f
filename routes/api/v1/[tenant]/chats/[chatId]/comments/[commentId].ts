import type { Handlers } from "$fresh/server.ts";
import {
  patchComment,
  removeComment,
} from "../../../../../../../utils/chat_api.ts";

/** `/api/v1/{tenant}/chats/{chatId}/comments/{commentId}`: edit or delete. */
export const handler: Handlers = {
  PATCH: (req, ctx) =>
    patchComment(
      req,
      ctx.params.tenant,
      ctx.params.chatId,
      ctx.params.commentId,
    ),
  DELETE: (req, ctx) =>
    removeComment(
      req,
      ctx.params.tenant,
      ctx.params.chatId,
      ctx.params.commentId,
    ),
};
