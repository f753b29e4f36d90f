import type { Handlers } from "$fresh/server.ts";
import { getChats, postChat } from "../../../../../utils/chat_api.ts";

/** `/api/v1/{tenant}/text-chats`: list a room's text chats, start one. */
export const handler: Handlers = {
  GET: (req, ctx) => getChats(req, ctx.params.tenant, "text"),
  POST: (req, ctx) => postChat(req, ctx.params.tenant, "text"),
};
