/**
 * Test helpers: start the real server on a free port with its own temporary
 * KV file, open sessions against it, and dump its KV store to compare states.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { User } from "../utils/protocol.ts";

/** A running server started by `startServer`. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The KV file the server uses; see `dumpKv`. */
  kvPath: string;
  /**
   * Stops the server (SIGTERM), waits for it to exit and removes its files;
   * with `keepKv`, its KV file stays for another server to start on.
   */
  stop(options?: { keepKv?: boolean }): Promise<void>;
}

/** Options of `startServer`. */
export interface StartServerOptions {
  /**
   * Extra environment variables for the server. They override
   * {@linkcode TEST_LIMITS}.
   */
  env?: Record<string, string>;
  /**
   * Run `deno serve --parallel` (one isolate per core) instead of one process.
   * @default false
   */
  parallel?: boolean;
  /**
   * A KV file to use, e.g. another server's, to restart on the same data;
   * it is left in place when the server stops.
   * @default a new file in a temporary folder
   */
  kvPath?: string;
  /**
   * The port to listen on.
   * @default a free port
   */
  port?: number;
}

/**
 * Rate limits high enough that tests which write a lot from one address
 * never meet them; tests of the limits set their own.
 */
export const TEST_LIMITS: Readonly<Record<string, string>> = {
  TACK_RATE_WRITES: "1000000",
  TACK_RATE_HANDSHAKES: "1000000",
  TACK_MAX_SOCKETS_PER_IP: "100000",
};

const ROOT = new URL("../", import.meta.url).pathname;

/** How long a server may take to answer its first request. */
const START_TIMEOUT_MS = 60_000;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Collects a child's output so that a failed start can show it. */
async function collect(stream: ReadableStream<Uint8Array>, into: string[]) {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    into.push(decoder.decode(chunk, { stream: true }));
  }
}

/**
 * Starts `main.ts` on a free port with a temporary KV file and waits until the
 * API answers.
 *
 * @example
 * ```ts
 * const server = await startServer();
 * try { await fetch(server.url); } finally { await server.stop(); }
 * ```
 */
export async function startServer(
  opts: StartServerOptions = {},
): Promise<TestServer> {
  const dir = await Deno.makeTempDir({ prefix: "tack-test-" });
  const kvPath = opts.kvPath ?? `${dir}/tack.kv`;
  const port = opts.port ?? freePort();
  const args = opts.parallel
    ? ["serve", "-A", "--parallel", "--port", String(port), "main.ts"]
    : ["run", "-A", "main.ts"];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: {
      ...TEST_LIMITS,
      ...opts.env,
      DENO_KV_PATH: kvPath,
      PORT: String(port),
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const drained = Promise.all([
    collect(child.stdout, output),
    collect(child.stderr, output),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async ({ keepKv = false } = {}) => {
    try {
      child.kill("SIGTERM");
    } catch {
      // It has exited already.
    }
    await child.status;
    await drained;
    if (!keepKv) await Deno.remove(dir, { recursive: true });
  };
  try {
    await waitUntilAnswering(url, child.status);
  } catch (err) {
    await stop();
    throw new Error(`Server did not start: ${err}\n${output.join("")}`);
  }
  return { url, port, kvPath, stop };
}

async function waitUntilAnswering(
  url: string,
  exited: Promise<Deno.CommandStatus>,
) {
  let gone = false;
  exited.then(() => gone = true);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone) throw new Error("the process exited");
    try {
      const res = await fetch(`${url}/api/v1/demo/image-chats?urlId=ready`);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("timed out");
}

/**
 * Opens an anonymous session on a tenant.
 *
 * @example
 * ```ts
 * const { token, user } = await createSession(server.url, "demo", "Ada");
 * ```
 */
export async function createSession(
  url: string,
  tenant: string,
  name: string,
): Promise<{ token: string; user: User }> {
  const res = await fetch(`${url}/api/v1/${tenant}/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return await res.json();
}

function serializeValue(_key: string, value: unknown) {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Deno.KvU64) return `${value.value}n`;
  if (value instanceof Uint8Array) return Array.from(value);
  return value;
}

/**
 * Usage metrics: the server writes them in the background, about a second
 * after the traffic they count, so they are no part of a state to compare.
 */
const BACKGROUND_KEYS = new Set([
  "usage",
  "usage_by_room",
  "room_names",
  "tenant_viewers",
]);

/**
 * Everything in a KV file but usage metrics, as one stable string: entries in key order with
 * their values and versionstamps, so any write at all changes it.
 *
 * @example
 * ```ts
 * const before = await dumpKv(server.kvPath);
 * // … a refused write …
 * assert.equal(await dumpKv(server.kvPath), before);
 * ```
 */
export async function dumpKv(kvPath: string): Promise<string> {
  const kv = await Deno.openKv(kvPath);
  try {
    const entries = (await Array.fromAsync(kv.list({ prefix: [] })))
      .filter(({ key }) => !BACKGROUND_KEYS.has(key[0] as string));
    return JSON.stringify(
      entries.map(({ key, value, versionstamp }) => ({
        key,
        value,
        versionstamp,
      })),
      serializeValue,
    );
  } finally {
    kv.close();
  }
}
