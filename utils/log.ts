/**
 * Structured logs: one JSON object per line on stdout, one line per request
 * and per socket event, so that a log pipeline can filter by tenant or room
 * without parsing prose.
 *
 * @module
 */

/** The fields of one log line; `undefined` fields are left out. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/**
 * Writes one log line: the time, then the given fields.
 *
 * @example
 * ```ts
 * logLine({ event: "socket_open", tenant: "demo", room: "demo-image" });
 * // {"time":"2025-01-31T12:00:00.000Z","event":"socket_open",…}
 * ```
 */
export function logLine(fields: LogFields): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
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
 * @example
 * ```ts
 * const started = performance.now();
 * const res = await ctx.next();
 * logLine(requestLog(req, res.status, performance.now() - started));
 * ```
 */
export function requestLog(
  req: Request,
  status: number,
  ms: number,
): RequestLog {
  const url = new URL(req.url);
  const tenant = API_PATH.exec(url.pathname)?.[1];
  const log: RequestLog = {
    event: "request",
    method: req.method,
    path: url.pathname,
    status,
    ms: Math.round(ms * 10) / 10,
  };
  if (tenant) log.tenant = decodeOrKeep(tenant);
  const room = url.searchParams.get("urlId");
  if (room) log.room = room;
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
  logLine(
    requestLog(
      new Request(url, { method }),
      res.status,
      performance.now() - started,
    ),
  );
  return res;
}
