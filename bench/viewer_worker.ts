/**
 * A Worker that holds a share of the viewers: real WebSocket clients that
 * track `seq` per socket (to count deliveries, duplicates and loss) and record
 * publish-to-deliver latency from the stamp in each comment.
 *
 * The pool (`viewer_pool.ts`) sends one command at a time and awaits its reply.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { Histogram, type HistogramData } from "./histogram.ts";
import {
  decodeFrame,
  nowMs,
  readStamp,
  type ServerKind,
  socketUrl,
} from "./wire.ts";

/** Commands a viewer worker accepts. */
export type ViewerCommand =
  | {
    cmd: "open";
    kind: ServerKind;
    baseUrl: string;
    urlIds: string[];
    /** Handshakes in flight at once. */
    maxPending: number;
  }
  | { cmd: "drop" }
  | {
    cmd: "reopen";
    /** Per room, the seq a viewer must reach to count as resynced. */
    targets: Record<string, number>;
    maxPending: number;
    timeoutMs: number;
  }
  | { cmd: "progress"; finalSeqs: Record<string, number> }
  | { cmd: "report"; finalSeqs: Record<string, number> }
  | { cmd: "close" };

/** What a worker's viewers saw, summed. */
export interface ViewerReport {
  viewers: number;
  connected: number;
  failed: number;
  /** Events delivered once each, in seq order. */
  received: number;
  duplicates: number;
  /** Events neither delivered nor covered by a `recovered: false` snapshot. */
  lost: number;
  /** Events skipped because a resync sent a snapshot instead. */
  coveredBySnapshot: number;
  closedByServer: number;
  /** Latency histograms, indexed by the write's load stage. */
  latency: HistogramData[];
  /** Deliveries per wall-clock second, keyed by `Math.floor(ms / 1000)`. */
  arrivals: Record<string, number>;
}

interface Viewer {
  urlId: string;
  socket: WebSocket | null;
  /** Seq of the first sync; null until the viewer has synced once. */
  firstSeq: number | null;
  lastSeq: number;
  received: number;
  synced: boolean;
  onSynced: (() => void) | null;
}

/** A viewer that has not synced by then counts as failed. */
const CONNECT_TIMEOUT_MS = 30_000;

let kind: ServerKind = "tack";
let baseUrl = "";
const viewers: Viewer[] = [];
const latency: Histogram[] = [];
let arrivals: Record<string, number> = {};
let duplicates = 0;
let coveredBySnapshot = 0;
let closedByServer = 0;
let failed = 0;
/** True while the pool is closing sockets on purpose. */
let dropping = false;

function onMessage(viewer: Viewer, data: string, socket: WebSocket) {
  const messages = decodeFrame(kind, data, (frame) => socket.send(frame));
  for (const message of messages) {
    if (message.type === "sync") {
      onSync(viewer, message.seq ?? 0, message.recovered ?? false);
    } else if (typeof message.seq === "number") {
      if (message.seq <= viewer.lastSeq) {
        duplicates++;
        continue;
      }
      viewer.lastSeq = message.seq;
      viewer.received++;
      const stamp = readStamp(message.comment?.text);
      if (stamp === null) continue;
      const now = nowMs();
      (latency[stamp.stage] ??= new Histogram()).record(now - stamp.sentAt);
      const second = Math.floor(now / 1000);
      arrivals[second] = (arrivals[second] ?? 0) + 1;
    }
  }
  if (viewer.synced && viewer.onSynced) viewer.onSynced();
}

function onSync(viewer: Viewer, seq: number, recovered: boolean) {
  if (viewer.firstSeq === null) {
    viewer.firstSeq = viewer.lastSeq = seq;
  } else if (!recovered && seq > viewer.lastSeq) {
    coveredBySnapshot += seq - viewer.lastSeq;
    viewer.lastSeq = seq;
  }
  viewer.synced = true;
}

/** Opens the viewer's socket; resolves once synced, or false on failure. */
function connect(viewer: Viewer): Promise<boolean> {
  const since = viewer.firstSeq === null ? null : viewer.lastSeq;
  const socket = new WebSocket(socketUrl(kind, baseUrl, viewer.urlId, since));
  viewer.socket = socket;
  viewer.synced = false;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!ok) failed++;
      resolve(ok);
    };
    // A server that neither syncs nor closes must not stall the run.
    const timer = setTimeout(() => {
      settle(false);
      socket.close();
    }, CONNECT_TIMEOUT_MS);
    socket.onmessage = (event) => {
      onMessage(viewer, event.data, socket);
      if (viewer.synced) settle(true);
    };
    socket.onerror = () => settle(false);
    socket.onclose = () => {
      if (!dropping && viewer.socket === socket) closedByServer++;
      settle(false);
    };
  });
}

/** Runs `connect` over `list` with at most `maxPending` handshakes at once. */
async function connectAll(list: Viewer[], maxPending: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < list.length) await connect(list[next++]);
  };
  await Promise.all(Array.from({ length: maxPending }, lane));
}

async function closeAll(): Promise<void> {
  dropping = true;
  await Promise.all(viewers.map((viewer) => {
    const socket = viewer.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      socket.addEventListener("close", () => resolve());
      socket.close();
    });
  }));
  dropping = false;
}

function waitResynced(
  targets: Record<string, number>,
  startedAt: number,
  timeoutMs: number,
): Promise<{ resync: HistogramData; unresynced: number }> {
  const resync = new Histogram();
  let waiting = 0;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const viewer of viewers) viewer.onSynced = null;
      resolve({ resync: resync.toData(), unresynced: waiting });
    };
    const timer = setTimeout(done, timeoutMs);
    for (const viewer of viewers) {
      waiting++;
      viewer.onSynced = () => {
        if (viewer.lastSeq < (targets[viewer.urlId] ?? 0)) return;
        viewer.onSynced = null;
        resync.record(nowMs() - startedAt);
        if (--waiting === 0) done();
      };
    }
    if (waiting === 0) done();
  });
}

function missing(finalSeqs: Record<string, number>): number {
  let total = 0;
  for (const viewer of viewers) {
    const final = finalSeqs[viewer.urlId] ?? viewer.lastSeq;
    total += Math.max(0, final - viewer.lastSeq);
  }
  return total;
}

function report(finalSeqs: Record<string, number>): ViewerReport {
  let received = 0;
  let expected = 0;
  let connected = 0;
  for (const viewer of viewers) {
    received += viewer.received;
    if (viewer.firstSeq === null) continue;
    const final = finalSeqs[viewer.urlId] ?? viewer.lastSeq;
    expected += final - viewer.firstSeq;
    if (viewer.socket?.readyState === WebSocket.OPEN) connected++;
  }
  return {
    viewers: viewers.length,
    connected,
    failed,
    received,
    duplicates,
    lost: expected - received - coveredBySnapshot,
    coveredBySnapshot,
    closedByServer,
    latency: Array.from(latency, (h) => (h ?? new Histogram()).toData()),
    arrivals,
  };
}

async function run(command: ViewerCommand): Promise<unknown> {
  switch (command.cmd) {
    case "open": {
      kind = command.kind;
      baseUrl = command.baseUrl;
      const added = command.urlIds.map((urlId): Viewer => ({
        urlId,
        socket: null,
        firstSeq: null,
        lastSeq: 0,
        received: 0,
        synced: false,
        onSynced: null,
      }));
      viewers.push(...added);
      const failedBefore = failed;
      await connectAll(added, command.maxPending);
      return { failed: failed - failedBefore };
    }
    case "drop":
      await closeAll();
      return {};
    case "reopen": {
      const startedAt = nowMs();
      const resynced = waitResynced(
        command.targets,
        startedAt,
        command.timeoutMs,
      );
      await connectAll(viewers, command.maxPending);
      return await resynced;
    }
    case "progress":
      return { missing: missing(command.finalSeqs) };
    case "report":
      return report(command.finalSeqs);
    case "close":
      await closeAll();
      viewers.length = 0;
      latency.length = 0;
      arrivals = {};
      duplicates =
        coveredBySnapshot =
        closedByServer =
        failed =
          0;
      return {};
  }
}

self.onmessage = async (event: MessageEvent<ViewerCommand>) => {
  self.postMessage(await run(event.data));
};
