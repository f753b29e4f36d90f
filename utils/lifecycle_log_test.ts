import assert from "node:assert/strict";

const LIFECYCLE = new URL("./lifecycle.ts", import.meta.url).href;
const LOG = new URL("./log.ts", import.meta.url).href;

Deno.test("log lines buffered by the shutdown steps are written before the signal ends the process", async () => {
  const code = `import { onShutdown } from ${JSON.stringify(LIFECYCLE)};
    import { logLine } from ${JSON.stringify(LOG)};
    onShutdown(async () => {
      logLine({ event: "shutdown" });
      await Promise.resolve();
      logLine({ event: "after_steps" });
    });
    setInterval(() => {}, 1_000);
    console.log("ready");`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--unstable-kv", code],
    env: { DENO_KV_PATH: ":memory:" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (!output.includes("ready")) {
    const { done, value } = await reader.read();
    if (done) break;
    output += value;
  }
  child.kill("SIGTERM");
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    output += value;
  }
  const status = await child.status;
  assert.equal(status.signal, "SIGTERM");
  assert.match(output, /"event":"shutdown"\}\n.*"event":"after_steps"\}\n/);
});
