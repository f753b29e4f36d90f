/**
 * The four load scenarios. Each takes a freshly started server and the shared
 * viewer pool, stays within 60 seconds of load, and returns plain data for the
 * report.
 *
 * @module
 */
import type { LatencySummary } from "./histogram.ts";
import {
  drain,
  roomIds,
  type StageStats,
  stageStats,
  viewerRooms,
} from "./measure.ts";
import { ProcMonitor } from "./proc_stats.ts";
import type { RunningServer } from "./servers.ts";
import type { PoolReport, ViewerPool } from "./viewer_pool.ts";
import { type LoadStage, Writer } from "./writer.ts";

/** The scenario names, in run order. */
export const SCENARIO_NAMES = ["hot", "rooms", "idle", "storm"] as const;
export type ScenarioName = typeof SCENARIO_NAMES[number];

/** Sizes of every scenario; `--quick` uses much smaller ones. */
export interface ScenarioSizes {
  hot: { viewers: number; stages: LoadStage[] };
  rooms: { rooms: number; viewersPerRoom: number; stage: LoadStage };
  idle: { rooms: number; viewersPerRoom: number; holdSeconds: number };
  storm: {
    rooms: number;
    viewersPerRoom: number;
    /** Writes per second over the whole scenario, spread over the rooms. */
    rate: number;
    /** Seconds of writes before the drop, while down, and after. */
    before: number;
    down: number;
    after: number;
  };
}

const ramp = (rates: number[], seconds: number) =>
  rates.map((rate) => ({ rate, seconds }));

/** Full sizes: what the issue asks for. */
export const FULL_SIZES: ScenarioSizes = {
  hot: { viewers: 1_000, stages: ramp([10, 25, 50, 100, 150, 200], 7) },
  rooms: { rooms: 500, viewersPerRoom: 10, stage: { rate: 300, seconds: 30 } },
  idle: { rooms: 1_000, viewersPerRoom: 10, holdSeconds: 30 },
  storm: {
    rooms: 100,
    viewersPerRoom: 20,
    rate: 100,
    before: 5,
    down: 2,
    after: 10,
  },
};

/** Small sizes for development and smoke runs. */
export const QUICK_SIZES: ScenarioSizes = {
  hot: { viewers: 100, stages: ramp([10, 50, 100], 2) },
  rooms: { rooms: 50, viewersPerRoom: 4, stage: { rate: 100, seconds: 3 } },
  idle: { rooms: 100, viewersPerRoom: 10, holdSeconds: 3 },
  storm: {
    rooms: 10,
    viewersPerRoom: 20,
    rate: 50,
    before: 2,
    down: 1,
    after: 3,
  },
};

/** Seconds to wait after the last write for deliveries to arrive. */
const DRAIN_MS = 15_000;

/**
 * Pause between the last viewer's sync and the first write, so that a
 * server's follow-up work on joins (presence, viewer counts) is not billed
 * to the first load stage.
 */
const SETTLE_MS = 2_000;

const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

interface Context {
  server: RunningServer;
  pool: ViewerPool;
}

/** CPU and memory of the server and of this load generator. */
interface Monitors {
  serverMonitor: ProcMonitor;
  generatorMonitor: ProcMonitor;
}

function monitors(server: RunningServer): Monitors {
  return {
    serverMonitor: new ProcMonitor(server.pid),
    generatorMonitor: new ProcMonitor(Deno.pid, false),
  };
}

/** A loaded scenario's rooms, their writer and their viewers. */
interface LoadedRooms {
  rooms: string[];
  writer: Writer;
  viewers: number;
  failedViewers: number;
}

/**
 * Creates `count` rooms named after `prefix`, connects `viewersPerRoom`
 * viewers to each and lets the server settle before the first write.
 */
async function openLoadedRooms(
  { server, pool }: Context,
  prefix: string,
  count: number,
  viewersPerRoom: number,
): Promise<LoadedRooms> {
  const rooms = roomIds(prefix, count);
  const writer = new Writer(server.baseUrl);
  await writer.setup(rooms);
  const viewers = viewerRooms(rooms, viewersPerRoom);
  const { failed } = await pool.open(server.kind, server.baseUrl, viewers);
  await settle();
  return { rooms, writer, viewers: viewers.length, failedViewers: failed };
}

/**
 * After the last write: waits for the rooms' final events to reach the
 * viewers, stops the monitors (if any) and collects the pool's report.
 */
async function collectDeliveries(
  pool: ViewerPool,
  { rooms, writer, viewers, failedViewers }: LoadedRooms,
  load?: Monitors,
): Promise<{ report: PoolReport; totals: DeliveryTotals }> {
  const finalSeqs = await writer.seqs(rooms);
  const undelivered = await drain(pool, finalSeqs, DRAIN_MS);
  load?.serverMonitor.stop();
  load?.generatorMonitor.stop();
  const report = await pool.report(finalSeqs);
  return {
    report,
    totals: {
      viewers,
      failedViewers,
      closedByServer: report.closedByServer,
      lost: report.lost,
      duplicates: report.duplicates,
      undeliveredAfterDrain: undelivered,
    },
  };
}

/**
 * Writes `stages` into the loaded rooms while watching the server's and the
 * generator's CPU and memory, waits for the deliveries, and returns each
 * stage's stats with the delivery totals.
 */
async function runMonitoredLoad(
  context: Context,
  loaded: LoadedRooms,
  stages: LoadStage[],
  roomOf: (n: number) => string,
  viewersPerRoom: number,
): Promise<{ totals: DeliveryTotals; stages: StageStats[] }> {
  const load = monitors(context.server);
  const writes = await loaded.writer.run(stages, roomOf);
  const { report, totals } = await collectDeliveries(
    context.pool,
    loaded,
    load,
  );
  return {
    totals,
    stages: writes.map((write, i) =>
      stageStats(
        write,
        report.latency[i],
        report.arrivals,
        viewersPerRoom,
        load.serverMonitor,
        load.generatorMonitor,
      )
    ),
  };
}

/** Losses and oddities every loaded scenario reports. */
export interface DeliveryTotals {
  viewers: number;
  failedViewers: number;
  closedByServer: number;
  /** Events expected at viewers (by seq) but never delivered. */
  lost: number;
  duplicates: number;
  /** Events still undelivered when the drain timed out. */
  undeliveredAfterDrain: number;
}

/** (a) One hot room, with a write ramp. */
export interface HotRoomResult extends DeliveryTotals {
  stages: StageStats[];
}

/** Runs scenario (a): one room, many viewers, rising write rate. */
export async function hotRoom(
  context: Context,
  sizes: ScenarioSizes["hot"],
): Promise<HotRoomResult> {
  const loaded = await openLoadedRooms(
    context,
    "hot",
    1,
    sizes.viewers,
  );
  const [room] = loaded.rooms;
  const { totals, stages } = await runMonitoredLoad(
    context,
    loaded,
    sizes.stages,
    () => room,
    sizes.viewers,
  );
  return { ...totals, stages };
}

/** (b) Many small rooms with writes spread over them. */
export interface ManyRoomsResult extends DeliveryTotals {
  rooms: number;
  stage: StageStats;
}

/** Runs scenario (b): writes spread at random over many small rooms. */
export async function manyRooms(
  context: Context,
  sizes: ScenarioSizes["rooms"],
): Promise<ManyRoomsResult> {
  const loaded = await openLoadedRooms(
    context,
    "room",
    sizes.rooms,
    sizes.viewersPerRoom,
  );
  const { rooms } = loaded;
  const { totals, stages: [stage] } = await runMonitoredLoad(
    context,
    loaded,
    [sizes.stage],
    () => rooms[Math.floor(Math.random() * rooms.length)],
    sizes.viewersPerRoom,
  );
  return { ...totals, rooms: sizes.rooms, stage };
}

/** (c) Idle viewers: the memory each open socket costs the server. */
export interface IdleResult {
  viewers: number;
  failedViewers: number;
  closedByServer: number;
  connectSeconds: number;
  rssBeforeMb: number;
  rssHeldMb: number;
  /** (held RSS − RSS before connecting) ÷ connected viewers. */
  kbPerSocket: number;
  serverCpuPercentHeld: number;
}

/** Runs scenario (c): connect idle viewers, hold them, read the server's RSS. */
export async function idleViewers(
  { server, pool }: Context,
  sizes: ScenarioSizes["idle"],
): Promise<IdleResult> {
  const rooms = roomIds("idle", sizes.rooms);
  const viewers = viewerRooms(rooms, sizes.viewersPerRoom);
  const monitor = new ProcMonitor(server.pid);
  const before = monitor.sample();
  const { failed } = await pool.open(server.kind, server.baseUrl, viewers);
  const connected = monitor.sample();
  await new Promise((r) => setTimeout(r, sizes.holdSeconds * 1000));
  const held = monitor.sample();
  monitor.stop();
  const report = await pool.report({});
  const holding = monitor.samples.filter((s) => s.at >= connected.at);
  const rssHeld = Math.max(...holding.map((s) => s.rssBytes));
  const sockets = Math.max(1, report.connected);
  return {
    viewers: viewers.length,
    failedViewers: failed,
    closedByServer: report.closedByServer,
    connectSeconds: (connected.at - before.at) / 1000,
    rssBeforeMb: before.rssBytes / 2 ** 20,
    rssHeldMb: rssHeld / 2 ** 20,
    kbPerSocket: (rssHeld - before.rssBytes) / 1024 / sockets,
    serverCpuPercentHeld: monitor.window(connected.at, held.at).cpuPercent,
  };
}

/** (d) Reconnect storm. */
export interface StormResult extends DeliveryTotals {
  rooms: number;
  /** Time from the reconnect until each viewer had caught up. */
  resync: LatencySummary;
  unresynced: number;
  /** Events viewers missed as events because a snapshot replaced them. */
  coveredBySnapshot: number;
  writesOk: number;
  writesFailed: number;
}

/** Runs scenario (d): drop every viewer at once, reconnect with `since`. */
export async function reconnectStorm(
  context: Context,
  sizes: ScenarioSizes["storm"],
): Promise<StormResult> {
  const loaded = await openLoadedRooms(
    context,
    "storm",
    sizes.rooms,
    sizes.viewersPerRoom,
  );
  const { rooms, writer } = loaded;
  let n = 0;
  const writing = writer.run(
    [{ rate: sizes.rate, seconds: sizes.before + sizes.down + sizes.after }],
    () => rooms[n++ % rooms.length],
  );
  await new Promise((r) => setTimeout(r, sizes.before * 1000));
  await context.pool.drop();
  await new Promise((r) => setTimeout(r, sizes.down * 1000));
  const targets = await writer.seqs(rooms);
  const { resync, unresynced } = await context.pool.reopen(
    targets,
    DRAIN_MS * 2,
  );
  const [write] = await writing;
  const { report, totals } = await collectDeliveries(context.pool, loaded);
  return {
    ...totals,
    rooms: sizes.rooms,
    resync: resync.summary(),
    unresynced,
    coveredBySnapshot: report.coveredBySnapshot,
    writesOk: write.ok,
    writesFailed: write.failed,
  };
}
