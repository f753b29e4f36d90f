import type { Handlers } from "$fresh/server.ts";
import { postRevokeSessions } from "../../../../../../utils/admin_api.ts";

/** `POST /api/v1/{tenant}/admin/sessions/revoke {userId}` (moderators). */
export const handler: Handlers = {
  POST: (req, ctx) => postRevokeSessions(req, ctx.params.tenant),
};
