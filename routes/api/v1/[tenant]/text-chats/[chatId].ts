import type { Handlers } from "$fresh/server.ts";
import { removeChat } from "../../../../../utils/chat_api.ts";

/** `DELETE /api/v1/{tenant}/text-chats/{chatId}`: delete a text chat. */
export const handler: Handlers = {
  DELETE: (req, ctx) =>
    removeChat(req, ctx.params.tenant, ctx.params.chatId, "text"),
};
