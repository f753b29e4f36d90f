/**
 * Usage reports: a tenant's metrics (see `metrics.ts`) over a range of UTC
 * days, every day present, with the busiest rooms of the range. The usage
 * API returns one as JSON and the dashboard draws one.
 *
 * @module
 */

import { getKv, keys } from "./db_kv.ts";
import { type Metric, METRICS, ROOM_METRICS, utcDay } from "./metrics.ts";
import { ApiError } from "./validation.ts";

/** A range of UTC days, both ends included, as `YYYY-MM-DD`. */
export interface DayRange {
  from: string;
  to: string;
}

/** The metrics of one day. */
export type DayUsage = { day: string } & Record<Metric, number>;

/** A room's share of a range's traffic. */
export interface RoomUsage {
  urlId: string;
  pubSubMessageCount: number;
  pubSubBandwidth: number;
}

/** What `GET /usage` returns and the dashboard shows. */
export interface UsageReport {
  tenant: string;
  from: string;
  to: string;
  /** Every day of the range, oldest first; days without data are zeros. */
  days: DayUsage[];
  /** Sums over the range; `peakViewers` is the highest of the days. */
  totals: Record<Metric, number>;
  /** Rooms by messages delivered, most first. */
  busiestRooms: RoomUsage[];
}

const DAY_MS = 86_400_000;
/** Longest range a report covers, in days. */
export const MAX_RANGE_DAYS = 366;
/** Days a report covers unless asked otherwise. */
export const DEFAULT_RANGE_DAYS = 30;

function parseDay(value: string, field: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(value) : NaN;
  // Date.parse rolls 2025-02-30 over to March; a real day reads back as is.
  if (Number.isNaN(ms) || utcDay(ms) !== value) {
    throw new ApiError(
      "bad_request",
      `"${field}" must be a date as YYYY-MM-DD.`,
      field,
    );
  }
  return ms;
}

/**
 * Reads `from` and `to` (`YYYY-MM-DD`, UTC); by default the last 30 days
 * up to today. Refuses a bad date, `from` after `to`, or more than 366 days.
 *
 * @example
 * ```ts
 * parseDayRange("2025-01-01", null, Date.UTC(2025, 0, 10));
 * // { from: "2025-01-01", to: "2025-01-10" }
 * ```
 */
export function parseDayRange(
  from: string | null,
  to: string | null,
  now: number = Date.now(),
): DayRange {
  const toMs = to ? parseDay(to, "to") : parseDay(utcDay(now), "to");
  const fromMs = from
    ? parseDay(from, "from")
    : toMs - (DEFAULT_RANGE_DAYS - 1) * DAY_MS;
  if (fromMs > toMs) {
    throw new ApiError("bad_request", `"from" must not be after "to".`, "from");
  }
  if ((toMs - fromMs) / DAY_MS + 1 > MAX_RANGE_DAYS) {
    throw new ApiError(
      "bad_request",
      `A range covers at most ${MAX_RANGE_DAYS} days.`,
      "from",
    );
  }
  return { from: utcDay(fromMs), to: utcDay(toMs) };
}

/** A named range of days the dashboard offers with one click. */
export interface PeriodPreset extends DayRange {
  label: string;
}

/**
 * The dashboard's ready-made periods at `now` (UTC): the last 7, 30 and 90
 * days up to today, this month so far and last month, whole.
 *
 * @example
 * ```ts
 * periodPresets(Date.UTC(2025, 2, 15))[4];
 * // { label: "Last month", from: "2025-02-01", to: "2025-02-28" }
 * ```
 */
export function periodPresets(now: number = Date.now()): PeriodPreset[] {
  const today = new Date(now);
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth();
  const daysBack = (days: number): PeriodPreset => ({
    label: `Last ${days} days`,
    from: utcDay(now - (days - 1) * DAY_MS),
    to: utcDay(now),
  });
  return [
    daysBack(7),
    // The same days as the default period.
    daysBack(DEFAULT_RANGE_DAYS),
    daysBack(90),
    {
      label: "This month",
      from: utcDay(Date.UTC(year, month, 1)),
      to: utcDay(now),
    },
    {
      label: "Last month",
      from: utcDay(Date.UTC(year, month - 1, 1)),
      // Day 0 of this month is the last day of the one before.
      to: utcDay(Date.UTC(year, month, 0)),
    },
  ];
}

/** Every day of a range, oldest first. */
function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  const end = Date.parse(range.to);
  for (let ms = Date.parse(range.from); ms <= end; ms += DAY_MS) {
    days.push(utcDay(ms));
  }
  return days;
}

function zeros(): Record<Metric, number> {
  return Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<
    Metric,
    number
  >;
}

/** Selects a range of days under a key prefix whose next part is the day. */
function dayRangeSelector(prefix: Deno.KvKey, range: DayRange) {
  // "YYYY-MM-DD" < "YYYY-MM-DD\0", so the `to` day is inside the range.
  return { start: [...prefix, range.from], end: [...prefix, `${range.to}\0`] };
}

/**
 * A tenant's usage over a range of days, with its busiest rooms.
 *
 * @example
 * ```ts
 * const report = await readUsage("demo", parseDayRange(null, null));
 * report.totals.pubSubMessageCount;
 * ```
 */
export async function readUsage(
  tenant: string,
  range: DayRange,
  /** Busiest rooms to list; 0 reads no room counts. @default 10 */
  roomLimit = 10,
): Promise<UsageReport> {
  const kv = await getKv();
  const byDay = new Map(
    daysOf(range).map((day) => [day, { day, ...zeros() } as DayUsage]),
  );
  const selector = dayRangeSelector(keys.usage(tenant), range);
  for await (const entry of kv.list<Deno.KvU64>(selector)) {
    const [day, metric] = entry.key.slice(-2) as [string, Metric];
    const usage = byDay.get(day);
    if (usage && METRICS.includes(metric)) {
      usage[metric] = Number(entry.value.value);
    }
  }
  const days = [...byDay.values()];
  const totals = zeros();
  for (const day of days) {
    for (const metric of METRICS) {
      totals[metric] = metric === "peakViewers"
        ? Math.max(totals[metric], day[metric])
        : totals[metric] + day[metric];
    }
  }
  return {
    tenant,
    ...range,
    days,
    totals,
    // A caller that wants no rooms (the CSV) skips listing their counts.
    busiestRooms: roomLimit > 0
      ? await busiestRooms(kv, tenant, range, roomLimit)
      : [],
  };
}

async function busiestRooms(
  kv: Deno.Kv,
  tenant: string,
  range: DayRange,
  limit: number,
): Promise<RoomUsage[]> {
  const rooms = new Map<Deno.KvKeyPart, Record<string, number>>();
  const selector = dayRangeSelector(keys.roomUsage(tenant), range);
  for await (const entry of kv.list<Deno.KvU64>(selector)) {
    const [, part, metric] = entry.key.slice(-3);
    if (!(ROOM_METRICS as readonly unknown[]).includes(metric)) continue;
    const room = rooms.get(part) ?? {};
    room[metric as string] = (room[metric as string] ?? 0) +
      Number(entry.value.value);
    rooms.set(part, room);
  }
  const top = [...rooms].sort(([, a], [, b]) =>
    (b.pubSubMessageCount ?? 0) - (a.pubSubMessageCount ?? 0)
  ).slice(0, limit);
  const names = await Promise.all(
    top.map(([part]) => kv.get<string>(keys.roomNameOfPart(tenant, part))),
  );
  return top.map(([, counts], i) => ({
    urlId: names[i].value ?? "(unknown room)",
    pubSubMessageCount: counts.pubSubMessageCount ?? 0,
    pubSubBandwidth: counts.pubSubBandwidth ?? 0,
  }));
}

/**
 * A report's days as CSV (RFC 4180, CRLF line ends): a header row, `day`
 * then the metrics in {@linkcode METRICS} order, and one row per day, oldest
 * first. Every cell is a date or a whole number, so nothing needs quoting.
 *
 * @example
 * ```ts
 * const csv = usageCsv(await readUsage("demo", parseDayRange(null, null)));
 * csv.split("\r\n")[0]; // "day,pubSubMessageCount,pubSubBandwidth,…"
 * ```
 */
export function usageCsv(report: UsageReport): string {
  const rows = [
    ["day", ...METRICS].join(","),
    ...report.days.map((day) =>
      [day.day, ...METRICS.map((metric) => day[metric])].join(",")
    ),
  ];
  return rows.map((row) => `${row}\r\n`).join("");
}

/**
 * The file name a downloaded {@linkcode usageCsv} is saved under: the
 * tenant and the range, which are safe in a file name (tenant ids are
 * lowercase letters, digits and dashes; days are `YYYY-MM-DD`).
 *
 * @example
 * ```ts
 * usageCsvFileName({ tenant: "acme", from: "2025-01-01", to: "2025-01-31" });
 * // "tack-usage-acme-2025-01-01-to-2025-01-31.csv"
 * ```
 */
export function usageCsvFileName(
  report: Pick<UsageReport, "tenant" | "from" | "to">,
): string {
  return `tack-usage-${report.tenant}-${report.from}-to-${report.to}.csv`;
}
