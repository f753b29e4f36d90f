import type { Handlers } from "$fresh/server.ts";
import { hub } from "../../../../utils/hub.ts";
import {
  ApiError,
  parseSince,
  readUrlId,
} from "../../../../utils/validation.ts";
import { clientIp, requestGuard } from "../../../../utils/request_guard.ts";

/**
 * `GET /api/v1/{tenant}/ws?urlId=U[&since=N]`: the realtime socket of one
 * room. The query is validated before the upgrade, so a bad request gets a
 * JSON error (from the API middleware) instead of a socket. Each IP may
 * hold a limited number of sockets; idle sockets are pinged and dropped when
 * they do not answer.
 */
export const handler: Handlers = {
  GET(req, ctx) {
    const query = new URL(req.url).searchParams;
    const urlId = readUrlId({ urlId: query.get("urlId") });
    const since = parseSince(query.get("since"));
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError("bad_request", "This endpoint needs a WebSocket.");
    }
    const release = requestGuard.acquireSocket(clientIp(ctx.remoteAddr));
    let upgraded;
    try {
      upgraded = Deno.upgradeWebSocket(req, {
        idleTimeout: requestGuard.limits.socketIdleSeconds,
      });
    } catch {
      release();
      throw new ApiError(
        "bad_request",
        "This is not a valid WebSocket handshake.",
      );
    }
    const { socket, response } = upgraded;
    socket.addEventListener("close", release);
    hub.join(socket, { tenant: ctx.params.tenant, urlId, since });
    return response;
  },
};
