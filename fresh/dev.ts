/**
 * `dev.ts` support, as in Fresh 1.7's `$fresh/dev.ts`:
 * `await dev(import.meta.url, "./main.ts", config)`.
 *
 * - `deno run -A dev.ts` regenerates `fresh.gen.ts`, then runs the app
 *   (building client code on demand, ignoring any `_fresh/`).
 * - `deno run -A dev.ts manifest` only regenerates `fresh.gen.ts`.
 * - `deno run -A dev.ts build` regenerates it and prebuilds the client
 *   bundle into `_fresh/` for hosts that cannot run `deno bundle`.
 *
 * @module
 */
import { buildSnapshot } from "./src/bundle.ts";
import { ignoreSnapshot, urlToDir } from "./src/handler.ts";
import { writeManifest } from "./src/manifest.ts";
import { extractRoutes } from "./src/routes.ts";
import type { FreshConfig, Manifest } from "./src/types.ts";

/**
 * Runs the dev workflow for the project whose `dev.ts` is at `base`.
 *
 * @example
 * ```ts
 * await dev(import.meta.url, "./main.ts");
 * ```
 */
export async function dev(
  base: string,
  entrypoint: string,
  config: FreshConfig = {},
): Promise<void> {
  const root = urlToDir(new URL(".", base));
  await writeManifest(root);
  const command = Deno.args[0];
  if (command === "manifest") return;
  if (command === "build") {
    const url = new URL("./fresh.gen.ts", base).href;
    const manifest = (await import(url)).default as Manifest;
    const outDir = urlToDir(new URL(config.build?.outDir ?? "./_fresh", base));
    const snapshot = await buildSnapshot({
      root,
      islands: extractRoutes(manifest).islands,
      plugins: config.plugins ?? [],
    }, outDir);
    console.log(
      `Built ${snapshot.files.length} files into ${outDir} (build ${snapshot.buildId}).`,
    );
    // Importing the routes may have opened resources (KV, timers) that
    // would keep a one-shot build alive.
    Deno.exit(0);
  }
  ignoreSnapshot();
  await import(new URL(entrypoint, base).href);
}

export default dev;
