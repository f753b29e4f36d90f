import type { Handlers } from "$fresh/server.ts";
import { removeChat } from "../../../../../utils/chat_api.ts";

/** `DELETE /api/v1/{tenant}/image-chats/{chatId}`: delete an image chat. */
export const handler: Handlers = {
  DELETE: (req, ctx) =>
    removeChat(req, ctx.params.tenant, ctx.params.chatId, "image"),
};
