/**
 * Highlights in the page's own DOM. A highlight wraps the text nodes of a
 * passage in `<mark>` elements, splitting text nodes at the passage's ends;
 * it never re-serializes HTML, so the page's elements, their listeners and
 * their state survive. Removing a highlight unwraps the marks and joins the
 * split text back together.
 *
 * Offsets are UTF-16 code units into `root.textContent`, the text model of
 * `anchoring.ts`. Highlights do not change that text, so passages can be
 * re-anchored while highlights are shown.
 *
 * @module
 */

/** The marks of one chat's passage. */
export interface Highlight {
  chatId: string;
  /** The `<mark>` elements, in document order. */
  marks: HTMLElement[];
}

/** Class of every highlight mark; styles stack where marks nest. */
export const HIGHLIGHT_CLASS = "tack-hl";

// Text inside these elements counts in `textContent` but cannot be wrapped.
const UNWRAPPABLE = new Set([
  "SCRIPT",
  "STYLE",
  "TEXTAREA",
  "OPTION",
  "NOSCRIPT",
  "TEMPLATE",
  "TITLE",
]);

/** Every text node under `root`, in document order. */
function textNodes(root: Node): Text[] {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push(node as Text);
  }
  return nodes;
}

/**
 * A DOM Range over [start, end) of `root`'s text, e.g. to measure where a
 * passage is on screen; null when the offsets are outside the text.
 *
 * @example
 * ```ts
 * rangeFromOffsets(article, 120, 164)?.getBoundingClientRect();
 * ```
 */
export function rangeFromOffsets(
  root: Node,
  start: number,
  end: number,
): Range | null {
  const doc = root.ownerDocument ?? (root as Document);
  const range = doc.createRange();
  let position = 0;
  let started = false;
  for (const node of textNodes(root)) {
    const nodeEnd = position + node.length;
    if (!started && start < nodeEnd) {
      range.setStart(node, start - position);
      started = true;
    }
    if (started && end <= nodeEnd) {
      range.setEnd(node, end - position);
      return range;
    }
    position = nodeEnd;
  }
  return null;
}

/**
 * Wraps the text at [start, end) of `root`'s text in marks carrying
 * `data-chat-id`. Text nodes are split at the ends; whitespace-only nodes and
 * text inside elements such as `<script>` or `<textarea>` are left alone, so
 * the page's structure stays valid.
 *
 * @example
 * ```ts
 * const highlight = highlightRange(article, 120, 164, "01J…");
 * highlight.marks[0].dataset.chatId; // "01J…"
 * ```
 */
export function highlightRange(
  root: Node,
  start: number,
  end: number,
  chatId: string,
): Highlight {
  const doc = root.ownerDocument ?? (root as Document);
  const marks: HTMLElement[] = [];
  let position = 0;
  for (const node of textNodes(root)) {
    const nodeStart = position;
    const nodeEnd = position + node.length;
    position = nodeEnd;
    if (nodeEnd <= start || nodeStart >= end || node.length === 0) continue;
    if (UNWRAPPABLE.has(node.parentElement?.tagName ?? "")) continue;
    let piece = node;
    if (start > nodeStart) piece = piece.splitText(start - nodeStart);
    if (end < nodeEnd) piece.splitText(piece.length - (nodeEnd - end));
    if (piece.data.trim() === "") continue;
    const mark = doc.createElement("mark");
    mark.className = HIGHLIGHT_CLASS;
    mark.dataset.testid = "highlight";
    mark.dataset.chatId = chatId;
    piece.parentNode!.insertBefore(mark, piece);
    mark.appendChild(piece);
    marks.push(mark);
  }
  // One tab stop per discussion: its first mark (Enter opens it).
  if (marks[0]) marks[0].tabIndex = 0;
  return { chatId, marks };
}

/** Joins `node` with adjacent text siblings, undoing `splitText`. */
function rejoin(node: Node): void {
  if (!(node instanceof Text)) return;
  let first: Text = node;
  while (first.previousSibling instanceof Text) {
    first = first.previousSibling;
  }
  while (first.nextSibling instanceof Text) {
    const next = first.nextSibling;
    first.appendData(next.data);
    next.remove();
  }
}

/**
 * Unwraps a highlight's marks and joins the text split for it, leaving the
 * DOM as it was (marks of other, overlapping highlights stay in place).
 *
 * @example
 * ```ts
 * const before = article.innerHTML;
 * removeHighlight(highlightRange(article, 10, 40, "a"));
 * article.innerHTML === before; // true
 * ```
 */
export function removeHighlight(highlight: Highlight): void {
  for (const mark of highlight.marks) {
    const parent = mark.parentNode;
    if (!parent) continue;
    const first = mark.firstChild;
    const last = mark.lastChild;
    while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
    mark.remove();
    if (first) rejoin(first);
    if (last && last.parentNode) rejoin(last);
  }
  highlight.marks = [];
}

/**
 * The chats whose highlights contain `target`, innermost first and without
 * repeats: one id where a highlight stands alone, several where they overlap.
 *
 * @example
 * ```ts
 * article.addEventListener("click", (e) => {
 *   const ids = highlightsAt(e.target as Node, article); // ["b", "a"]
 * });
 * ```
 */
export function highlightsAt(target: Node | null, root: Node): string[] {
  const ids: string[] = [];
  for (let node = target; node && node !== root; node = node.parentNode) {
    if (
      node instanceof HTMLElement && node.classList.contains(HIGHLIGHT_CLASS)
    ) {
      const id = node.dataset.chatId;
      if (id && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}
