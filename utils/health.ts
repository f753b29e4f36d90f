/**
 * The health check: can this isolate read KV, and what does it hold.
 *
 * @module
 */

import { getKv } from "./db_kv.ts";
import { hub, type HubStats } from "./hub.ts";

/** What `GET /healthz` answers. */
export interface Health extends HubStats {
  /** True when KV answered a read in time. */
  ok: boolean;
  kv: "ok" | "unreachable";
  isolate: string;
  /** Resident memory of the process, in bytes. */
  rss: number;
}

/**
 * Reads one key within `timeoutMs` and reports this isolate's state.
 *
 * @example
 * ```ts
 * const health = await checkHealth();
 * return json(health, health.ok ? 200 : 503);
 * ```
 */
export async function checkHealth(
  /** @default 2_000 */
  timeoutMs = 2_000,
  read: () => Promise<unknown> = async () =>
    await (await getKv()).get(["healthz"]),
): Promise<Health> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
  });
  const ok = await Promise.race([read(), timeout]).then(() => true, () => false)
    .finally(() => clearTimeout(timer));
  return {
    ok,
    kv: ok ? "ok" : "unreachable",
    isolate: hub.isolateId,
    ...hub.stats(),
    rss: Deno.memoryUsage().rss,
  };
}
