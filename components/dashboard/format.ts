/**
 * Number formats of the usage dashboard.
 *
 * @module
 */

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(12345); // "12,345"
 * ```
 */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/**
 * A byte count in B, KB, MB or GB (powers of 1,000).
 *
 * @example
 * ```ts
 * formatBytes(1_500_000); // "1.5 MB"
 * ```
 */
export function formatBytes(value: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let unit = 0;
  let scaled = value;
  while (scaled >= 1000 && unit < units.length - 1) {
    scaled /= 1000;
    unit++;
  }
  const digits = unit === 0 || scaled >= 100 ? 0 : 1;
  return `${scaled.toFixed(digits)} ${units[unit]}`;
}
