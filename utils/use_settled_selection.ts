/**
 * Watches the reader's text selection inside a content element and reports
 * it once it has settled: no change for `delayMs`, and no mouse button or
 * finger still down. Touch devices get no delay, since selection handles are
 * already a deliberate gesture.
 *
 * @module
 */

import { useEffect, useState } from "preact/hooks";
import type { RefObject } from "preact";
import { selectionToOffsets } from "./selection_offsets.ts";

/** A settled selection: its offsets in the content's text. */
export interface SettledSelection {
  start: number;
  end: number;
}

/** Options of {@linkcode useSettledSelection}. */
export interface SettledSelectionOptions {
  /**
   * Quiet time before a selection counts as settled, on devices with a fine
   * pointer.
   * @default 500
   */
  delayMs?: number;
  /** Watch at all (false when nothing may be written). @default true */
  enabled?: boolean;
}

/** True on devices whose main pointer is a finger. */
function isTouchDevice(): boolean {
  return globalThis.matchMedia?.("(pointer: coarse)").matches ?? false;
}

/**
 * The settled selection inside `root`, or null; the setter clears it (e.g.
 * once a discussion was started from it).
 *
 * @example
 * ```tsx
 * const [selection, clear] = useSettledSelection(contentRef, { delayMs: 500 });
 * ```
 */
export function useSettledSelection(
  root: RefObject<HTMLElement>,
  { delayMs = 500, enabled = true }: SettledSelectionOptions = {},
): [SettledSelection | null, () => void] {
  const [settled, setSettled] = useState<SettledSelection | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const delay = isTouchDevice() ? 0 : delayMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pointerDown = false;
    let waitingForPointer = false;

    const read = () => {
      waitingForPointer = false;
      const selection = document.getSelection();
      const el = root.current;
      if (!el || !selection || selection.isCollapsed || !selection.rangeCount) {
        setSettled(null);
        return;
      }
      const range = selection.getRangeAt(0);
      const offsets = selectionToOffsets(el, range);
      const blank = offsets &&
        (el.textContent ?? "").slice(offsets.start, offsets.end).trim() === "";
      setSettled(offsets && !blank ? offsets : null);
    };
    const settle = () => {
      if (pointerDown) waitingForPointer = true;
      else read();
    };
    const onSelectionChange = () => {
      clearTimeout(timer);
      setSettled(null);
      timer = setTimeout(settle, delay);
    };
    const onPointerDown = () => {
      pointerDown = true;
    };
    const onPointerUp = () => {
      pointerDown = false;
      if (waitingForPointer) read();
    };

    document.addEventListener("selectionchange", onSelectionChange);
    document.addEventListener("pointerdown", onPointerDown, true);
    document.addEventListener("pointerup", onPointerUp, true);
    document.addEventListener("pointercancel", onPointerUp, true);
    // A selection made before the hook started (its code may load on the
    // first selection) settles like any other.
    if (document.getSelection()?.isCollapsed === false) onSelectionChange();
    return () => {
      clearTimeout(timer);
      document.removeEventListener("selectionchange", onSelectionChange);
      document.removeEventListener("pointerdown", onPointerDown, true);
      document.removeEventListener("pointerup", onPointerUp, true);
      document.removeEventListener("pointercancel", onPointerUp, true);
    };
  }, [enabled, delayMs]);

  return [settled, () => setSettled(null)];
}
