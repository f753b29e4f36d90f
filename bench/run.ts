/**
 * `deno task bench:load`: runs every scenario against every server in one
 * go, then writes `results.json`, `results.md` and `p99.svg`.
 *
 * Flags:
 * - `--quick`: small sizes, for development; writes to `bench/results/quick/`.
 * - `--only=hot,rooms,idle,storm`: a subset of scenarios.
 * - `--servers=ceiling,socketio,tack,tack-parallel`: a subset of servers.
 *   A full-size run of a subset writes to `bench/results/partial/`, so that
 *   `bench/results/` always holds one whole run.
 * - `--workers=N`: viewer worker isolates (default 3).
 * - `--cpu-prof`: write V8 CPU profiles of Tack to `bench/results/profiles/`.
 * - `--tack-dir=PATH`: run Tack from another checkout (to measure a change).
 * - `--tack-kv=memory`: Tack keeps its KV in memory instead of a file, to
 *   see how much of a result the disk accounts for; such a run writes to
 *   `bench/results/partial/` and its report says so.
 *
 * @module
 */
import { measurePageWeight, type PageWeight } from "./page_weight.ts";
import { writeReport } from "./report.ts";
import {
  FULL_SIZES,
  hotRoom,
  idleViewers,
  manyRooms,
  QUICK_SIZES,
  reconnectStorm,
  SCENARIO_NAMES,
  type ScenarioName,
  type ScenarioSizes,
} from "./scenarios.ts";
import {
  SERVER_LABELS,
  type StartOptions,
  startServer,
  type TackKv,
} from "./servers.ts";
import { ViewerPool } from "./viewer_pool.ts";
import type { ServerKind } from "./wire.ts";

/** Everything one run measured: the JSON behind the report. */
export interface BenchResults {
  meta: {
    date: string;
    /** The Tack commit measured (`git describe --always --dirty`). */
    commit: string;
    quick: boolean;
    cores: number;
    cpuModel: string;
    deno: string;
    v8: string;
    node: string;
    socketio: string;
    /** 1-minute load average when the run started: > 0.5 means a busy machine. */
    loadAverageAtStart: number;
    /** 1-minute load average sampled every 10 s during the run. */
    loadAverageDuring: { mean: number; max: number };
    viewerWorkers: number;
    sizes: ScenarioSizes;
    /** Where Tack kept its KV (absent in runs from before the flag). */
    tackKv?: TackKv;
  };
  servers: ServerKind[];
  /** Per scenario, per server: its result, or `{ error }` if it failed. */
  scenarios: Partial<
    Record<ScenarioName, Partial<Record<ServerKind, unknown>>>
  >;
  pageWeight: PageWeight[] | { error: string };
}

const ALL_SERVERS: ServerKind[] = [
  "ceiling",
  "socketio",
  "tack",
  "tack-parallel",
];

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return Deno.args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/** `--tack-kv`, checked: a typo must not pass for a run on a file. */
function tackKvFlag(): TackKv {
  const value = flag("tack-kv") ?? "file";
  if (value !== "file" && value !== "memory") {
    throw new Error(`--tack-kv is "file" or "memory", not "${value}".`);
  }
  return value;
}

async function version(program: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await new Deno.Command(program, { args }).output();
    return new TextDecoder().decode(stdout).trim();
  } catch {
    return "not installed";
  }
}

/** Warns when open sockets would exceed the file-descriptor limit. */
function checkFileLimit(needed: number): void {
  const limits = Deno.readTextFileSync("/proc/self/limits");
  const soft = Number(limits.match(/^Max open files\s+(\d+)/m)?.[1]);
  if (soft < needed) {
    console.warn(
      `Open-file limit ${soft} < ${needed}: raise it (ulimit -n ${needed}) ` +
        "or the idle scenario will lose viewers.",
    );
  }
}

async function meta(quick: boolean, workers: number, sizes: ScenarioSizes) {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo");
  const socketio = JSON.parse(
    await Deno.readTextFile(
      new URL("./socketio/package.json", import.meta.url),
    ),
  ).dependencies["socket.io"];
  return {
    date: new Date().toISOString(),
    commit: await version("git", ["describe", "--always", "--dirty"]),
    quick,
    cores: navigator.hardwareConcurrency,
    cpuModel: cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown",
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    node: await version("node", ["--version"]),
    socketio,
    loadAverageAtStart: Deno.loadavg()[0],
    loadAverageDuring: { mean: 0, max: 0 },
    viewerWorkers: workers,
    sizes,
  };
}

/** A scenario still running after this is abandoned and reported failed. */
const SCENARIO_TIMEOUT_MS = 240_000;

/** Runs one scenario against a freshly started server and fresh viewers. */
async function runScenario(
  name: ScenarioName,
  kind: ServerKind,
  sizes: ScenarioSizes,
  workers: number,
  options: StartOptions,
): Promise<unknown> {
  const server = await startServer(kind, options);
  const context = { server, pool: new ViewerPool({ workers }) };
  const scenario = {
    hot: () => hotRoom(context, sizes.hot),
    rooms: () => manyRooms(context, sizes.rooms),
    idle: () => idleViewers(context, sizes.idle),
    storm: () => reconnectStorm(context, sizes.storm),
  }[name];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS} ms`)),
      SCENARIO_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([scenario(), timeout]);
  } finally {
    clearTimeout(timer);
    await context.pool.close();
    await server.stop();
  }
}

async function main() {
  const quick = Deno.args.includes("--quick");
  const sizes = quick ? QUICK_SIZES : FULL_SIZES;
  const workers = Number(flag("workers") ?? 3);
  const scenarios =
    (flag("only")?.split(",") ?? SCENARIO_NAMES) as ScenarioName[];
  const servers = (flag("servers")?.split(",") ?? ALL_SERVERS) as ServerKind[];
  const tackKv = tackKvFlag();
  const partial = flag("only") !== undefined ||
    flag("servers") !== undefined || tackKv !== "file";
  const outDir = new URL(
    quick ? "./results/quick/" : partial ? "./results/partial/" : "./results/",
    import.meta.url,
  );
  const cpuProfileDir = Deno.args.includes("--cpu-prof")
    ? new URL("./results/profiles/", import.meta.url).pathname
    : undefined;
  checkFileLimit(sizes.idle.rooms * sizes.idle.viewersPerRoom + 1_000);

  const results: BenchResults = {
    meta: { ...await meta(quick, workers, sizes), tackKv },
    servers,
    scenarios: {},
    pageWeight: { error: "not measured" },
  };
  const loads: number[] = [];
  const loadSampler = setInterval(() => loads.push(Deno.loadavg()[0]), 10_000);
  for (const name of scenarios) {
    const byServer: Partial<Record<ServerKind, unknown>> = {};
    results.scenarios[name] = byServer;
    for (const kind of servers) {
      console.log(`${name}: ${SERVER_LABELS[kind]}…`);
      try {
        byServer[kind] = await runScenario(
          name,
          kind,
          sizes,
          workers,
          { cpuProfileDir, tackDir: flag("tack-dir"), tackKv },
        );
      } catch (error) {
        console.error(`  failed: ${(error as Error).message}`);
        byServer[kind] = { error: (error as Error).message };
      }
    }
  }
  results.pageWeight = await measureTackPages();
  clearInterval(loadSampler);
  if (loads.length > 0) {
    results.meta.loadAverageDuring = {
      mean: loads.reduce((a, b) => a + b, 0) / loads.length,
      max: Math.max(...loads),
    };
  }
  await writeReport(results, outDir);
  console.log(`Results in ${outDir.pathname}`);
}

async function measureTackPages(): Promise<BenchResults["pageWeight"]> {
  try {
    const server = await startServer("tack");
    try {
      return await measurePageWeight(server.baseUrl, [
        "/demo/image",
        "/demo/text",
      ]);
    } finally {
      await server.stop();
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
}

if (import.meta.main) await main();
