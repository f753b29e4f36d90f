/**
 * Relative times for comment headers ("just now", "5 min ago"). Pure, so the
 * server render and the island agree given the same `now`.
 *
 * @module
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Describes how long ago `at` was, relative to `now`, in short English.
 * Times in the near future (clock skew between server and browser) count as
 * "just now" rather than confusing the reader.
 *
 * @example
 * ```ts
 * relativeTime(Date.now() - 5 * 60_000); // "5 min ago"
 * ```
 */
export function relativeTime(at: number, now: number = Date.now()): string {
  const elapsed = Math.max(0, now - at);
  if (elapsed < 45_000) return "just now";
  if (elapsed < HOUR) {
    return `${Math.max(1, Math.round(elapsed / MINUTE))} min ago`;
  }
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < 2 * DAY) return "yesterday";
  if (elapsed < 7 * DAY) return `${Math.floor(elapsed / DAY)} days ago`;
  const date = new Date(at);
  const sameYear = date.getUTCFullYear() === new Date(now).getUTCFullYear();
  return date.toLocaleDateString("en", {
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
    timeZone: "UTC",
  });
}

/** The full timestamp for a tooltip, e.g. "2025-03-01 14:05 UTC". */
export function absoluteTime(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
