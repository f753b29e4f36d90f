/**
 * Reconnect delays: exponential backoff with full jitter, so that clients
 * dropped together by a restarting server do not all return at once.
 *
 * @module
 */

/** Options of {@linkcode backoffDelay}. */
export interface BackoffOptions {
  /**
   * Upper bound of the first delay, in milliseconds.
   * @default 500
   */
  baseMs?: number;
  /**
   * Largest upper bound any delay may have, in milliseconds.
   * @default 20_000
   */
  capMs?: number;
  /**
   * Source of randomness in [0, 1).
   * @default Math.random
   */
  random?: () => number;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry):
 * uniformly random in [0, min(cap, base · 2^attempt)).
 *
 * @example
 * ```ts
 * backoffDelay(3, { random: () => 0.5 }); // 2000 (half of 500 · 2³)
 * ```
 */
export function backoffDelay(
  attempt: number,
  { baseMs = 500, capMs = 20_000, random = Math.random }: BackoffOptions = {},
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
