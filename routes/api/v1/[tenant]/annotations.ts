import type { Handlers } from "$fresh/server.ts";
import {
  ANNOTATION_MEDIA_TYPE,
  exportRoomAnnotations,
} from "../../../../utils/annotations.ts";
import { readUrlId } from "../../../../utils/validation.ts";

/**
 * `GET /api/v1/{tenant}/annotations?urlId=U`: the room's image and text
 * chats as a W3C Web Annotation collection (JSON-LD).
 */
export const handler: Handlers = {
  async GET(req, ctx) {
    const url = new URL(req.url);
    const urlId = readUrlId({ urlId: url.searchParams.get("urlId") });
    const collection = await exportRoomAnnotations(
      ctx.params.tenant,
      urlId,
      url,
    );
    return new Response(JSON.stringify(collection), {
      headers: { "content-type": ANNOTATION_MEDIA_TYPE },
    });
  },
};
