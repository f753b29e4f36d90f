import type { Handlers } from "$fresh/server.ts";
import { BUILD_ID } from "$fresh/src/server/build_id.ts";

/**
 * Where `static/embed.js` finds the module that mounts Tack on a host page's
 * own elements. The bundle's URL changes with each build, so the script asks
 * for it instead of hard-coding it.
 */
export const handler: Handlers = {
  GET(req) {
    const url = new URL(
      `/_frsh/js/${BUILD_ID}/plugin-tack-host_mount.js`,
      req.url,
    );
    return Response.json({ url: url.href }, {
      headers: {
        "access-control-allow-origin": "*",
        "cache-control": "no-cache",
      },
    });
  },
};
