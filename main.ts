import { createHandler, start } from "$fresh/server.ts";
import manifest from "./fresh.gen.ts";
import config from "./fresh.config.ts";

// `deno run -A main.ts` listens on $PORT (default 8000). Under
// `deno serve [--parallel] main.ts`, `start()` returns at once and Deno serves
// the default export instead.
if (import.meta.main) await start(manifest, config);

export default { fetch: await createHandler(manifest, config) };
