/**
 * `start()`: serves an app on a port, as `deno run -A main.ts` does.
 *
 * @module
 */
import { createHandler } from "./handler.ts";
import type { FreshConfig, Manifest } from "./types.ts";

/**
 * Whether this process was started by `deno serve`, which serves the main
 * module's default export itself. Deno offers no API for this and sets
 * `import.meta.main` in both modes, so the command line is read where the
 * OS exposes it (Linux); elsewhere the answer is `false`.
 */
export function isDenoServe(): boolean {
  try {
    const args = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
    // The subcommand is the first argument after the executable that is not a flag.
    return args.slice(1).find((arg) => !arg.startsWith("-")) === "serve";
  } catch {
    return false;
  }
}

/**
 * Serves the app until the process ends (or `config.server.signal` aborts).
 * Port: `config.server.port`, else `config.port`, else `$PORT`, else 8000.
 * Under `deno serve` it returns at once: the default export serves instead.
 *
 * @example
 * ```ts
 * import manifest from "./fresh.gen.ts";
 * if (import.meta.main) await start(manifest);
 * ```
 */
export async function start(
  manifest: Manifest,
  config: FreshConfig = {},
): Promise<void> {
  if (isDenoServe()) return;
  const port = config.server?.port ?? config.port ??
    Number(Deno.env.get("PORT") ?? 8000);
  const hostname = config.server?.hostname ?? "0.0.0.0";
  const server = Deno.serve({
    port,
    hostname,
    signal: config.server?.signal,
    onListen: config.server?.onListen ?? ((addr) => {
      const host = addr.hostname === "0.0.0.0" ? "localhost" : addr.hostname;
      console.log(`Listening on http://${host}:${addr.port}/`);
    }),
  }, createHandler(manifest, config));
  await server.finished;
}
