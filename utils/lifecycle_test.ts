import assert from "node:assert/strict";

const MODULE = new URL("./lifecycle.ts", import.meta.url).href;

Deno.test("on SIGTERM the steps run once, then the signal ends the process", async () => {
  const code = `import { onShutdown } from ${JSON.stringify(MODULE)};
    let runs = 0;
    onShutdown(async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      console.log("steps ran " + runs);
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
  // A second signal while the steps run must not run them again.
  setTimeout(() => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone: nothing to repeat.
    }
  }, 20);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    output += value;
  }
  const status = await child.status;
  assert.equal(status.signal, "SIGTERM");
  assert.match(output, /steps ran 1\n/);
  assert.doesNotMatch(output, /steps ran 2/);
});
