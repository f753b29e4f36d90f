/**
 * A spot on an image, where an Image Chat marker sits: in percent of the
 * image's width and height, so it stays put when the image resizes. Both the
 * pointer (a click) and the keyboard (arrow keys) place it.
 *
 * @module
 */

/** A point on an image, in percent of its width (`x`) and height (`y`). */
export interface Spot {
  x: number;
  y: number;
}

/** Percent an arrow key moves a spot by. */
export const SPOT_STEP = 1;
/** Percent an arrow key with Shift moves a spot by. */
export const SPOT_BIG_STEP = 10;

/** Clamped to 0–100 and rounded to hundredths, as spots are stored. */
function clampPercent(value: number): number {
  return Math.round(Math.min(100, Math.max(0, value)) * 100) / 100;
}

/**
 * The percentage of `size` that `offset` is, clamped to the image.
 *
 * @example
 * ```ts
 * toPercent(150, 400); // 37.5
 * toPercent(-5, 400); // 0
 * ```
 */
export function toPercent(offset: number, size: number): number {
  return size > 0 ? clampPercent((offset / size) * 100) : 0;
}

const DIRECTIONS: Record<string, Spot> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

/**
 * Where an arrow key moves `spot`, {@linkcode SPOT_STEP} at a time or
 * {@linkcode SPOT_BIG_STEP} with `big` (Shift), never off the image; `null`
 * for any other key.
 *
 * @example
 * ```ts
 * nudgeSpot({ x: 50, y: 50 }, "ArrowRight", false); // { x: 51, y: 50 }
 * nudgeSpot({ x: 95, y: 50 }, "ArrowRight", true); // { x: 100, y: 50 }
 * nudgeSpot({ x: 50, y: 50 }, "Enter", false); // null
 * ```
 */
export function nudgeSpot(spot: Spot, key: string, big: boolean): Spot | null {
  const direction = DIRECTIONS[key];
  if (!direction) return null;
  const step = big ? SPOT_BIG_STEP : SPOT_STEP;
  return {
    x: clampPercent(spot.x + direction.x * step),
    y: clampPercent(spot.y + direction.y * step),
  };
}

/**
 * How a spot reads aloud and on screen.
 *
 * @example
 * ```ts
 * describeSpot({ x: 12.5, y: 40 }); // "12.5% across, 40% down"
 * ```
 */
export function describeSpot(spot: Spot): string {
  return `${spot.x}% across, ${spot.y}% down`;
}
