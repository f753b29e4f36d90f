/**
 * Starts and stops the servers under test, each as its own process on a free
 * loopback port, so that its RSS and CPU can be read from `/proc`. Tack gets a
 * fresh temporary KV file every time it starts.
 *
 * @module
 */
import type { ServerKind } from "./wire.ts";
import { API_PATH } from "./wire.ts";

/** A running server under test. */
export interface RunningServer {
  kind: ServerKind;
  baseUrl: string;
  pid: number;
  /** Stops the process and removes its temporary files. */
  stop(): Promise<void>;
}

/** Options for starting a server. */
export interface StartOptions {
  /** Directory for V8 CPU profiles of Tack (`--cpu-prof`); none when unset. */
  cpuProfileDir?: string;
  /**
   * The Tack checkout to run, e.g. another branch's, to measure a change.
   * @default this repository
   */
  tackDir?: string;
  /**
   * Where Tack keeps its KV: a fresh file per start, or SQLite in memory
   * (`:memory:`), which takes the disk out of the write path to show how much
   * of a result is the store's. Only the file is how Tack runs.
   * @default "file"
   */
  tackKv?: TackKv;
}

/** Where a benchmarked Tack keeps its KV; see {@linkcode StartOptions}. */
export type TackKv = "file" | "memory";

/** How each server is shown in tables and charts. */
export const SERVER_LABELS: Record<ServerKind, string> = {
  "tack": "Tack (1 isolate)",
  "tack-parallel": "Tack (serve --parallel)",
  "ceiling": "Ceiling (bare Deno.serve)",
  "socketio": "Socket.IO 4 (Node)",
};

/**
 * Tack's per-IP abuse limits, raised: every simulated viewer and writer comes
 * from 127.0.0.1, where a real deployment sees one IP per visitor. The limits
 * are still checked on every request, so their cost stays in the numbers.
 */
const TACK_LOAD_TEST_LIMITS = {
  TACK_RATE_WRITES: "100000000",
  TACK_RATE_HANDSHAKES: "100000000",
  TACK_MAX_SOCKETS_PER_IP: "100000000",
};

const ROOT = new URL("../", import.meta.url).pathname;
const BENCH = new URL("./", import.meta.url).pathname;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function command(
  kind: ServerKind,
  port: number,
  kvPath: string,
  options: StartOptions,
): { program: string; args: string[]; env: Record<string, string> } {
  const deno = Deno.execPath();
  const profile = options.cpuProfileDir
    ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`]
    : [];
  const env = { PORT: String(port), DENO_KV_PATH: kvPath };
  const tackEnv = {
    ...env,
    ...TACK_LOAD_TEST_LIMITS,
    ...(options.tackKv === "memory" ? { DENO_KV_PATH: ":memory:" } : {}),
  };
  switch (kind) {
    case "ceiling":
      return {
        program: deno,
        args: [
          "run",
          "--allow-net",
          "--allow-env",
          `${BENCH}ceiling_server.ts`,
        ],
        env,
      };
    case "socketio":
      return { program: "node", args: [`${BENCH}socketio/server.js`], env };
    case "tack":
      return {
        program: deno,
        args: [
          "run",
          "-A",
          ...profile,
          profile.length ? "bench/tack_profiled.ts" : "main.ts",
        ],
        env: tackEnv,
      };
    case "tack-parallel":
      return {
        program: deno,
        args: [
          "serve",
          "--parallel",
          "-A",
          ...profile,
          "--host",
          "127.0.0.1",
          "--port",
          String(port),
          "main.ts",
        ],
        env: tackEnv,
      };
  }
}

/** Installs the Socket.IO baseline's locked dependencies on first use. */
async function ensureSocketIoInstalled(): Promise<void> {
  const dir = `${BENCH}socketio`;
  try {
    await Deno.stat(`${dir}/node_modules/socket.io`);
    return;
  } catch {
    // not installed yet
  }
  const { success } = await new Deno.Command("npm", {
    args: ["ci", "--no-audit", "--no-fund"],
    cwd: dir,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!success) throw new Error("npm ci failed in bench/socketio");
}

/** Polls `POST /sessions` until the server answers 201. */
async function waitReady(
  baseUrl: string,
  child: Deno.ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const exited = child.status.then(() => true);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}${API_PATH}/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "probe" }),
      });
      await res.body?.cancel();
      if (res.status === 201) return;
    } catch {
      // not listening yet
    }
    if (await Promise.race([exited, sleep(200).then(() => false)])) {
      throw new Error("server exited during start-up");
    }
  }
  throw new Error(`server not ready after ${timeoutMs} ms`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts one server under test and waits until it accepts writes.
 *
 * @example
 * ```ts
 * const server = await startServer("ceiling");
 * await server.stop();
 * ```
 */
export async function startServer(
  kind: ServerKind,
  options: StartOptions = {},
): Promise<RunningServer> {
  if (kind === "socketio") await ensureSocketIoInstalled();
  const port = freePort();
  const tempDir = await Deno.makeTempDir({ prefix: "tack-bench-" });
  const { program, args, env } = command(
    kind,
    port,
    `${tempDir}/kv.sqlite`,
    options,
  );
  const log = await Deno.open(`${tempDir}/server.log`, {
    write: true,
    create: true,
  });
  const child = new Deno.Command(program, {
    args,
    // Tack runs from its checkout; the baselines and the profiling entry
    // point are given by absolute path, so they run from anywhere.
    cwd: options.tackDir ?? ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Both streams go to one log, shown if the server fails to start.
  const logWriter = log.writable.getWriter();
  const drain = Promise.all([child.stdout, child.stderr].map(async (s) => {
    for await (const chunk of s) await logWriter.write(chunk);
  }));
  const halt = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    const killer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // exited meanwhile
      }
    }, 5_000);
    await child.status;
    clearTimeout(killer);
    await drain;
    await logWriter.close();
  };
  const stop = async () => {
    await halt();
    await Deno.remove(tempDir, { recursive: true });
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitReady(baseUrl, child, 60_000);
  } catch (error) {
    await halt();
    const output = await Deno.readTextFile(`${tempDir}/server.log`);
    await Deno.remove(tempDir, { recursive: true });
    throw new Error(
      `${SERVER_LABELS[kind]}: ${(error as Error).message}\n${
        output.slice(-2_000)
      }`,
    );
  }
  return { kind, baseUrl, pid: child.pid, stop };
}
