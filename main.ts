import { createHandler, start } from "$fresh/server.ts";
import manifest from "./fresh.gen.ts";
import config from "./fresh.config.ts";
import { prepareToServe } from "./utils/lifecycle.ts";

// One process per local KV file; sockets closed and metrics written on
// SIGTERM or SIGINT.
await prepareToServe();

// `deno run -A main.ts` (and `dev.ts`) serve on $PORT, default 8000, from
// here on. Under `deno serve [--parallel] main.ts`, `start()` returns at once
// and Deno serves the default export instead.
await start(manifest, config);

export default { fetch: await createHandler(manifest, config) };
