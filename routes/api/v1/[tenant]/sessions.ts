import type { Handlers } from "$fresh/server.ts";
import { postSession } from "../../../../utils/chat_api.ts";

/** `POST /api/v1/{tenant}/sessions {name}`: an anonymous identity. */
export const handler: Handlers = {
  POST: (req, ctx) => postSession(req, ctx.params.tenant),
};
