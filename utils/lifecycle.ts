/**
 * The life of a serving process: it claims its local KV file before serving,
 * and on SIGTERM or SIGINT it closes its sockets with "going away" (clients
 * reconnect, to another process or to this one restarted, and resync with
 * `since`) and writes its buffered metrics before it ends.
 *
 * @module
 */

import { localKvPath } from "./db_kv.ts";
import { hub } from "./hub.ts";
import { KvLockedError, lockKvFile } from "./kv_lock.ts";
import { flushLogs, logLine } from "./log.ts";
import { usageMeter } from "./metrics.ts";
import { CLOSE_GOING_AWAY } from "./protocol.ts";

/** Options of {@linkcode onShutdown}. */
export interface ShutdownOptions {
  /**
   * Longest wait for the steps before the process ends anyway.
   * @default 5_000
   */
  timeoutMs?: number;
  /** @default ["SIGTERM", "SIGINT"] */
  signals?: Deno.Signal[];
}

/**
 * Runs `steps` once when the process is asked to stop, then lets the signal
 * end it. Every isolate of `deno serve --parallel` gets the signal and runs
 * its own steps; the process ends only once the last isolate has removed
 * its listener and raised the signal again, so none is cut short.
 *
 * @example
 * ```ts
 * onShutdown(async () => {
 *   await hub.closeAll();
 *   await usageMeter.stop();
 * });
 * ```
 */
export function onShutdown(
  steps: () => Promise<void>,
  options: ShutdownOptions = {},
): void {
  const { timeoutMs = 5_000, signals = ["SIGTERM", "SIGINT"] } = options;
  let stopping = false;
  const listeners = new Map<Deno.Signal, () => void>();
  for (const signal of signals) {
    const listener = async () => {
      if (stopping) return; // A sibling isolate's re-raise, or impatience.
      stopping = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        steps().catch((err) => console.error("shutdown:", err)),
        new Promise((resolve) => timer = setTimeout(resolve, timeoutMs)),
      ]);
      clearTimeout(timer);
      for (const [name, fn] of listeners) Deno.removeSignalListener(name, fn);
      // Death by signal skips `unload`, so buffered log lines (the shutdown
      // line, sockets closed by the steps) would be lost.
      flushLogs();
      Deno.kill(Deno.pid, signal);
    };
    try {
      Deno.addSignalListener(signal, listener);
      listeners.set(signal, listener);
    } catch {
      // A signal this platform does not have.
    }
  }
}

/**
 * Prepares this isolate to serve: exits with a message when another process
 * serves the same local KV file (see `kv_lock.ts`), and closes sockets and
 * flushes metrics on shutdown.
 *
 * @example
 * ```ts
 * await prepareToServe();
 * await start(manifest, config);
 * ```
 */
export async function prepareToServe(): Promise<void> {
  const kvPath = localKvPath();
  try {
    if (kvPath) await lockKvFile(kvPath);
  } catch (err) {
    if (!(err instanceof KvLockedError)) throw err;
    console.error(err.message);
    Deno.exit(1);
  }
  onShutdown(async () => {
    logLine({ event: "shutdown", isolate: hub.isolateId, ...hub.stats() });
    await hub.closeAll(CLOSE_GOING_AWAY, "going away");
    await usageMeter.stop();
  });
}
