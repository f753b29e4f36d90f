/**
 * The configuration of the realtime hub: the store it goes through, its
 * timings and limits, and where it reports usage.
 *
 * @module
 */

import type * as db from "./db.ts";
import type { Timers } from "./hub_sender.ts";
import type { LogFields } from "./log.ts";

/** The store functions the hub reads and writes through. */
export type HubStore = Pick<
  typeof db,
  | "getKv"
  | "roomSeqKey"
  | "presenceRevKey"
  | "listEventsSince"
  | "getRoomSnapshot"
  | "setPresence"
  | "countPresence"
  | "beatIsolate"
  | "readBeats"
>;

/** Options of {@linkcode Hub}. */
export interface HubOptions {
  /**
   * Where rooms, events and presence live.
   * @default the KV store of `utils/db.ts`
   */
  store?: HubStore;
  /**
   * Identifies this isolate's presence entries.
   * @default crypto.randomUUID()
   */
  isolateId?: string;
  /**
   * How often this isolate beats in KV, so that its presence entries keep
   * counting, and checks that the isolates whose viewers it counts still
   * beat: one write, and at most one read per ten isolates it counts, however
   * many rooms it holds.
   * @default 10_000
   */
  heartbeatMs?: number;
  /**
   * How long a beat lasts, so that the viewers of a crashed isolate drop out
   * of the count. The others check once per heartbeat, so a crashed
   * isolate's viewers are gone within this plus one heartbeat of its last
   * beat: 30 s with the defaults.
   * @default 20_000
   */
  presenceTtlMs?: number;
  /**
   * Largest client frame, in bytes; a bigger one closes the socket with 1009.
   * @default 65_536
   */
  maxFrameBytes?: number;
  /**
   * Reports a failed store call or watch; the hub carries on either way.
   * @default logs to the console
   */
  onError?: (error: unknown, room: string) => void;
  /**
   * Messages for one socket within this many milliseconds of its last
   * frame go out together as one array frame; a socket quiet for longer
   * gets its next message at once.
   * @default 10
   */
  batchMs?: number;
  /**
   * A socket holding more unsent bytes than this when its next frame is due
   * is closed with {@linkcode CLOSE_RESYNC}: its client reconnects and
   * resumes with `since` instead of the server buffering without end.
   * @default 1_048_576 (1 MiB)
   */
  maxBufferedBytes?: number;
  /**
   * The clock and timers of batching and of the heartbeat.
   * @default the global ones
   */
  timers?: Timers;
  /**
   * Counts what is delivered, and viewers.
   * @default counts nothing
   */
  meter?: HubMeter;
  /**
   * Writes a log line per socket event (open, close, backpressure).
   * @default {@linkcode logLine}
   */
  log?: (fields: LogFields) => void;
}

/** What the hub reports for usage metrics (see `utils/metrics.ts`). */
export interface HubMeter {
  /**
   * Messages sent to the sockets of a room in one flush and their UTF-8
   * bytes, each summed over the sockets.
   */
  delivered(
    tenant: string,
    urlId: string,
    messages: number,
    bytes: number,
  ): void;
  /** A socket of the tenant joined (`+1`) or left (`-1`) this isolate. */
  viewers(tenant: string, delta: number): void;
}

/** A meter that counts nothing. */
export const NO_METER: HubMeter = { delivered() {}, viewers() {} };

/**
 * Batching and backpressure settings from the environment:
 * `TACK_WS_BATCH_MS` and `TACK_WS_MAX_BUFFERED_BYTES`.
 *
 * @example
 * ```ts
 * new Hub({ ...hubOptionsFromEnv() });
 * ```
 */
export function hubOptionsFromEnv(
  env: Pick<typeof Deno.env, "get"> = Deno.env,
): Pick<HubOptions, "batchMs" | "maxBufferedBytes"> {
  const read = (name: string) => {
    const value = Number(env.get(name) || NaN);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return {
    batchMs: read("TACK_WS_BATCH_MS"),
    maxBufferedBytes: read("TACK_WS_MAX_BUFFERED_BYTES"),
  };
}
