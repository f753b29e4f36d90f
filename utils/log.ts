/**
 * Structured logs: one JSON object per line on stdout, one line per request
 * and per socket event, so that a log pipeline can filter by tenant or room
 * without parsing prose.
 *
 * Lines are buffered and written in batches (one write per ~64 KiB or per
 * 50 ms, whichever comes first), because a synchronous write per line cost
 * the main thread more than the requests it logged. The buffer is written
 * when the process unloads or dies of an uncaught error; a process that ends
 * any other way (a signal, say) calls {@linkcode flushLogs} first.
 *
 * @module
 */

/** The fields of one log line; `undefined` fields are left out. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/**
 * Where flushed log output goes: UTF-8 bytes of whole lines, each ending in
 * `\n`. The bytes are only valid during the call; copy them to keep them.
 */
export type LogSink = (bytes: Uint8Array) => void;

/** Buffered bytes past which the buffer is written at once. */
const BUFFER_BYTES = 64 * 1024;
/** Longest time a line waits in the buffer. */
const FLUSH_DELAY_MS = 50;

const encoder = new TextEncoder();
// Reused for every batch: lines are encoded straight into it.
const buffer = new Uint8Array(BUFFER_BYTES);
let used = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let sink: LogSink = writeStdout;

/** Writes all of `bytes`: `writeSync` may write fewer than it is given. */
function writeStdout(bytes: Uint8Array): void {
  try {
    let written = 0;
    while (written < bytes.length) {
      written += Deno.stdout.writeSync(bytes.subarray(written));
    }
  } catch {
    // A closed stdout: losing log lines beats crashing in a timer callback.
  }
}

/**
 * Writes the buffered log lines now. Call it right before anything that ends
 * the process without an `unload` event, such as re-raising a signal.
 *
 * @example
 * ```ts
 * logLine({ event: "shutdown" });
 * flushLogs();
 * Deno.kill(Deno.pid, "SIGTERM");
 * ```
 */
export function flushLogs(): void {
  if (timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (used === 0) return;
  const bytes = buffer.subarray(0, used);
  used = 0;
  sink(bytes);
}

/**
 * Sends flushed log output to `next` instead of stdout, e.g. to read it in a
 * test; lines buffered so far go to the previous sink first.
 *
 * @param next the new sink, or `undefined` for stdout
 * @returns the previous sink, to restore
 * @example
 * ```ts
 * const chunks: string[] = [];
 * const decoder = new TextDecoder();
 * const previous = setLogSink((bytes) => chunks.push(decoder.decode(bytes)));
 * try {
 *   logLine({ event: "test" });
 *   flushLogs();
 * } finally {
 *   setLogSink(previous);
 * }
 * ```
 */
export function setLogSink(next: LogSink | undefined): LogSink {
  flushLogs();
  const previous = sink;
  sink = next ?? writeStdout;
  return previous;
}

/** Appends one line (with its `\n`) to the buffer, flushing as needed. */
function append(line: string): void {
  // Encode into the free end of the buffer; a line that does not fit is
  // partly encoded there, which the retry after the flush overwrites.
  let { read, written } = encoder.encodeInto(line, buffer.subarray(used));
  if (read < line.length) {
    flushLogs();
    ({ read, written } = encoder.encodeInto(line, buffer));
    if (read < line.length) {
      // Longer than the whole buffer: write it by itself.
      sink(encoder.encode(line));
      return;
    }
  }
  used += written;
  if (used === BUFFER_BYTES) {
    flushLogs();
  } else if (timer === undefined) {
    const pending = setTimeout(flushLogs, FLUSH_DELAY_MS);
    // The process may end with lines pending: unload writes them.
    Deno.unrefTimer(pending);
    timer = pending;
  }
}

// A normal end (the event loop ran dry, or `Deno.exit`) dispatches `unload`;
// an uncaught error ends the process without it, after these events.
globalThis.addEventListener("unload", flushLogs);
globalThis.addEventListener("error", flushLogs);
globalThis.addEventListener("unhandledrejection", flushLogs);

let cachedSecond = NaN;
let cachedPrefix = "";

/**
 * `new Date(ms).toISOString()`, formatting the date only once a second:
 * formatting it for every line was most of the cost of a log line.
 *
 * @example
 * ```ts
 * isoTime(0); // "1970-01-01T00:00:00.000Z"
 * ```
 */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    // Everything up to the milliseconds: "2025-01-31T12:00:00.".
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4);
  }
  const millis = ms - second * 1000;
  return cachedPrefix + (millis < 10 ? "00" : millis < 100 ? "0" : "") +
    millis + "Z";
}

/**
 * Writes one log line: the time, then the given fields. The line is buffered;
 * see {@linkcode flushLogs}.
 *
 * @example
 * ```ts
 * logLine({ event: "socket_open", tenant: "demo", room: "demo-image" });
 * // {"time":"2025-01-31T12:00:00.000Z","event":"socket_open",…}
 * ```
 */
export function logLine(fields: LogFields): void {
  const time = isoTime(Date.now());
  // A field named time replaces the time in place, as a spread would.
  if ("time" in fields) {
    append(JSON.stringify({ time, ...fields }) + "\n");
    return;
  }
  // The fields' own JSON with the time spliced in front: no copy of them.
  const json = JSON.stringify(fields);
  append(
    json.length > 2
      ? `{"time":"${time}",${json.slice(1)}\n`
      : `{"time":"${time}"}\n`,
  );
}

/** What a request log line says about a request. */
export type RequestLog = {
  event: "request";
  method: string;
  path: string;
  status: number;
  /** Milliseconds from the request to its response. */
  ms: number;
  tenant?: string;
  room?: string;
};

const API_PATH = /^\/api\/v1\/([^/]+)\//;

/**
 * The log fields of a handled request. The tenant is read from API paths
 * and the room from the `urlId` query parameter, when there are.
 *
 * @param method the request's method
 * @param url the request's URL; a string is parsed once here
 * @param status the response's status
 * @param ms milliseconds from the request to its response
 * @example
 * ```ts
 * const started = performance.now();
 * const res = await ctx.next();
 * logLine(
 *   requestLog(req.method, req.url, res.status, performance.now() - started),
 * );
 * ```
 */
export function requestLog(
  method: string,
  url: string | URL,
  status: number,
  ms: number,
): RequestLog {
  const parsed = typeof url === "string" ? new URL(url) : url;
  const path = parsed.pathname;
  const log: RequestLog = {
    event: "request",
    method,
    path,
    status,
    ms: Math.round(ms * 10) / 10,
  };
  const tenant = API_PATH.exec(path)?.[1];
  if (tenant) log.tenant = decodeOrKeep(tenant);
  // Most requests have no query: skip building its parameters.
  if (parsed.search) {
    const room = parsed.searchParams.get("urlId");
    if (room) log.room = room;
  }
  return log;
}

/** A path segment decoded, or as it is when it is not valid percent-encoding. */
function decodeOrKeep(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Runs a request's handling and writes its log line once it is answered.
 *
 * @example
 * ```ts
 * const res = await logRequest(req, () => ctx.next());
 * ```
 */
export async function logRequest(
  req: Request,
  handle: () => Promise<Response>,
): Promise<Response> {
  const started = performance.now();
  // Read before handling: a WebSocket upgrade takes the request over.
  const { method, url } = req;
  const res = await handle();
  logLine(requestLog(method, url, res.status, performance.now() - started));
  return res;
}
