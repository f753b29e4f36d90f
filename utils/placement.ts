/**
 * Where a floating chat window goes: beside the thing it belongs to, on the
 * side with room, and always fully inside the viewport.
 *
 * @module
 */

/** A rectangle in viewport pixels. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The placement of a window: its top-left corner in viewport pixels. */
export interface Placement {
  left: number;
  top: number;
  /** Which side of the anchor it ended up on. */
  side: "right" | "left" | "below" | "above";
}

/**
 * Places a `width` × `height` window beside `anchor` inside a viewport of
 * `viewport` size, keeping `margin` pixels clear of its edges: to the right
 * if it fits, else to the left, else below or above, and finally clamped.
 *
 * @example
 * ```ts
 * placeBeside({ left: 100, top: 100, width: 20, height: 20 }, { width: 300, height: 200 }, { width: 1280, height: 800 });
 * // { left: 128, top: 100, side: "right" }
 * ```
 */
export function placeBeside(
  anchor: Rect,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  { gap = 8, margin = 8 } = {},
): Placement {
  const fitsX = (left: number) =>
    left >= margin && left + size.width <= viewport.width - margin;
  const fitsY = (top: number) =>
    top >= margin && top + size.height <= viewport.height - margin;
  const clampX = (left: number) =>
    clamp(left, margin, viewport.width - margin - size.width);
  const clampY = (top: number) =>
    clamp(top, margin, viewport.height - margin - size.height);

  const right = anchor.left + anchor.width + gap;
  const left = anchor.left - gap - size.width;
  const alignedTop = clampY(anchor.top);
  if (fitsX(right)) return { left: right, top: alignedTop, side: "right" };
  if (fitsX(left)) return { left, top: alignedTop, side: "left" };

  const centredLeft = clampX(anchor.left + anchor.width / 2 - size.width / 2);
  const below = anchor.top + anchor.height + gap;
  const above = anchor.top - gap - size.height;
  if (fitsY(below)) return { left: centredLeft, top: below, side: "below" };
  if (fitsY(above)) return { left: centredLeft, top: above, side: "above" };
  return { left: centredLeft, top: clampY(below), side: "below" };
}

/** `value` limited to [min, max]; `min` wins when the range is empty. */
function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}
