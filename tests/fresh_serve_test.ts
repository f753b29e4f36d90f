import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

interface Spawned {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

async function spawnApp(
  args: string[],
  env: Record<string, string>,
  port: number,
) {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const chunks: string[] = [];
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const bytes of stream) {
      chunks.push(decoder.decode(bytes, { stream: true }));
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const spawned: Spawned = {
    url: `http://127.0.0.1:${port}`,
    output: () => chunks.join(""),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
      await child.status;
      await drained;
    },
  };
  let exited = false;
  child.status.then(() => exited = true);
  for (let attempt = 0; attempt < 600; attempt++) {
    if (exited) break;
    try {
      const res = await fetch(`${spawned.url}/styles.css`);
      await res.body?.cancel();
      if (res.ok) return spawned;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await spawned.stop();
  throw new Error(`${args.join(" ")} did not start:\n${spawned.output()}`);
}

async function isListening(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** Build ids may differ between processes; everything else must not. */
/** Build ids and the per-response CSP nonce differ between servers. */
function normalize(body: string): string {
  return body.replace(/__frsh_c=[\w-]+/g, "__frsh_c=ID").replace(
    /\/_frsh\/js\/[\w-]+\//g,
    "/_frsh/js/ID/",
  ).replace(/ nonce="[\w-]+"/g, ' nonce="N"');
}

Deno.test("`deno serve --parallel main.ts` serves what `deno task start` serves", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fresh-serve-test-" });
  const servePort = freePort();
  const startPort = freePort();
  const strayPort = freePort();
  const started: Spawned[] = [];
  try {
    started.push(
      await spawnApp(
        ["serve", "-A", "--parallel", "--port", String(servePort), "main.ts"],
        {
          DENO_JOBS: "2",
          DENO_KV_PATH: `${dir}/serve.kv`,
          PORT: String(strayPort),
        },
        servePort,
      ),
    );
    started.push(
      await spawnApp(
        ["task", "start"],
        { DENO_KV_PATH: `${dir}/start.kv`, PORT: String(startPort) },
        startPort,
      ),
    );
    const [served, run] = started;
    assert.match(served.output(), /with 2 threads/);
    assert.match(
      run.output(),
      new RegExp(`Listening on http://localhost:${startPort}/`),
    );
    // Under `deno serve`, main.ts must not open a listener of its own.
    assert.equal(await isListening(strayPort), false);

    // Several requests, so both isolates answer some of them.
    const paths = [
      "/",
      "/styles.css",
      "/no-such-page",
      "/demo/image",
      "/",
      "/demo/image",
    ];
    const scripts = new Set<string>();
    for (const path of paths) {
      const [a, b] = await Promise.all([
        fetch(served.url + path),
        fetch(run.url + path),
      ]);
      assert.equal(a.status, b.status, path);
      assert.equal(
        a.headers.get("content-type"),
        b.headers.get("content-type"),
        path,
      );
      const body = await a.text();
      assert.equal(normalize(body), normalize(await b.text()), path);
      for (const [url] of body.matchAll(/\/_frsh\/js\/[^"]+\.js/g)) {
        scripts.add(url);
      }
    }
    // Isolates agree on the build id, so either one serves the scripts a page names.
    assert.ok(scripts.size > 0);
    for (const url of scripts) {
      for (let i = 0; i < 4; i++) {
        const res = await fetch(served.url + url);
        assert.equal(res.status, 200, url);
        await res.body?.cancel();
      }
    }
  } finally {
    for (const app of started) await app.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
