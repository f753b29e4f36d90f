/**
 * Where the reader's selection is, as offsets into a content element's text
 * (UTF-16 code units into its `textContent`, the text model of
 * `anchoring.ts` and `highlight.ts`).
 *
 * @module
 */

/**
 * Offsets of `range` in `root`'s text, clipped to `root`; null when the range
 * is collapsed or lies outside `root`.
 *
 * @example
 * ```ts
 * const range = document.getSelection()!.getRangeAt(0);
 * selectionToOffsets(article, range); // { start: 120, end: 164 }
 * ```
 */
export function selectionToOffsets(
  root: Node,
  range: Range,
): { start: number; end: number } | null {
  const doc = root.ownerDocument ?? (root as Document);
  const whole = doc.createRange();
  whole.selectNodeContents(root);
  const clipped = range.cloneRange();
  if (clipped.compareBoundaryPoints(Range.START_TO_START, whole) < 0) {
    clipped.setStart(whole.startContainer, whole.startOffset);
  }
  if (clipped.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
    clipped.setEnd(whole.endContainer, whole.endOffset);
  }
  if (
    clipped.collapsed ||
    clipped.compareBoundaryPoints(Range.START_TO_END, whole) <= 0 ||
    clipped.compareBoundaryPoints(Range.END_TO_START, whole) >= 0
  ) {
    return null;
  }
  const before = doc.createRange();
  before.setStart(root, 0);
  before.setEnd(clipped.startContainer, clipped.startOffset);
  // Range#toString concatenates the data of the text nodes it covers: the
  // same text model as textContent.
  const start = before.toString().length;
  const end = start + clipped.toString().length;
  return end > start ? { start, end } : null;
}
