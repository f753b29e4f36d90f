import { type Handlers, pluginEntrypointUrl } from "$fresh/server.ts";

/**
 * Where `static/embed.js` finds the module that mounts Tack on a host page's
 * own elements. The bundle's URL changes with each build, so the script asks
 * for it instead of hard-coding it.
 */
export const handler: Handlers = {
  GET(req) {
    const url = new URL(pluginEntrypointUrl("tack", "host_mount"), req.url);
    return Response.json({ url: url.href }, {
      headers: {
        "access-control-allow-origin": "*",
        "cache-control": "no-cache",
      },
    });
  },
};
