import type { Handlers } from "$fresh/server.ts";
import { getChats, postChat } from "../../../../../utils/chat_api.ts";

/** `/api/v1/{tenant}/image-chats`: list a room's image chats, start one. */
export const handler: Handlers = {
  GET: (req, ctx) => getChats(req, ctx.params.tenant, "image"),
  POST: (req, ctx) => postChat(req, ctx.params.tenant, "image"),
};
