import { defineConfig } from "$fresh/server.ts";

export default defineConfig({
  plugins: [{
    name: "tack",
    entrypoints: {
      host_mount: new URL("./utils/host_mount.tsx", import.meta.url).href,
    },
  }],
});
