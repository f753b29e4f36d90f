/**
 * For pages shown in an iframe embed: tells the parent page how tall the
 * content is, whenever that changes, with
 * `postMessage({ type: "tack:height", height })`. `static/embed.js` on the
 * parent listens and sizes the iframe.
 *
 * @module
 */

/** The message the embed sends. */
export interface HeightMessage {
  type: "tack:height";
  height: number;
}

/** Room left below a floating window, for its shadow. */
const OVERLAY_MARGIN = 12;

/**
 * The height an embed needs: its content's, or more when a floating part
 * (a chat window) reaches further down.
 *
 * @example
 * ```ts
 * neededHeight(document.documentElement, "[role=dialog]"); // 467
 * ```
 */
export function neededHeight(root: Element, overlays: string): number {
  const box = root.getBoundingClientRect();
  let height = box.height;
  for (const overlay of root.querySelectorAll(overlays)) {
    const bottom = overlay.getBoundingClientRect().bottom - box.top;
    height = Math.max(height, bottom + OVERLAY_MARGIN);
  }
  return Math.ceil(height);
}

/**
 * Starts reporting the height `root` needs to `parent`; returns a function
 * that stops. Does nothing outside an iframe.
 *
 * The default root is the whole document, not `<body>`: margins of the first
 * and last blocks collapse through the body and would be left out, so the
 * iframe would cut off the end of its content. Floating windows matched by
 * `overlays` count too, so that a window opened below a short embed (as on
 * small screens) makes the iframe grow instead of being cut off.
 *
 * @example
 * ```ts
 * const stop = reportHeightToParent();
 * ```
 */
export function reportHeightToParent(
  parent: Window | null = globalThis.parent,
  root: Element = document.documentElement,
  overlays = "[role=dialog]",
): () => void {
  if (!parent || parent === (globalThis as unknown)) return () => {};
  let last = -1;
  const report = () => {
    const height = neededHeight(root, overlays);
    if (height === last) return;
    last = height;
    const message: HeightMessage = { type: "tack:height", height };
    // The parent may be any site embedding Tack, so any origin may listen;
    // the height is not a secret.
    parent.postMessage(message, "*");
  };
  const resizes = new ResizeObserver(report);
  resizes.observe(root);
  // Windows come and go, and grow as comments arrive: watch each one while
  // it is on the page.
  const watched = new Set<Element>();
  const mutations = new MutationObserver(() => {
    for (const overlay of watched) {
      if (overlay.isConnected) continue;
      resizes.unobserve(overlay);
      watched.delete(overlay);
    }
    for (const overlay of root.querySelectorAll(overlays)) {
      if (watched.has(overlay)) continue;
      watched.add(overlay);
      resizes.observe(overlay);
    }
    report();
  });
  mutations.observe(root, { childList: true, subtree: true });
  report();
  return () => {
    mutations.disconnect();
    resizes.disconnect();
  };
}
