import type { Handlers } from "$fresh/server.ts";
import { postRoomLock } from "../../../../../../utils/admin_api.ts";

/** `POST /api/v1/{tenant}/admin/rooms/lock {urlId, locked}` (moderators). */
export const handler: Handlers = {
  POST: (req, ctx) => postRoomLock(req, ctx.params.tenant),
};
