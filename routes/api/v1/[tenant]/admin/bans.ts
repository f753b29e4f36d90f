import type { Handlers } from "$fresh/server.ts";
import { deleteBan, getBans, postBan } from "../../../../../utils/admin_api.ts";

/** `/api/v1/{tenant}/admin/bans`: list, add or lift bans (moderators). */
export const handler: Handlers = {
  GET: (req, ctx) => getBans(req, ctx.params.tenant),
  POST: (req, ctx) => postBan(req, ctx.params.tenant),
  DELETE: (req, ctx) => deleteBan(req, ctx.params.tenant),
};
