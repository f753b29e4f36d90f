import type { Handlers } from "$fresh/server.ts";
import { checkHealth } from "../utils/health.ts";
import { json } from "../utils/http.ts";

/** `GET /healthz` → 200 with this isolate's state, 503 when KV fails. */
export const handler: Handlers = {
  async GET() {
    const health = await checkHealth();
    return json(health, health.ok ? 200 : 503, { "cache-control": "no-store" });
  },
};
