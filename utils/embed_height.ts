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

/**
 * Starts reporting the document's height to `parent`; returns a function
 * that stops. Does nothing outside an iframe.
 *
 * @example
 * ```ts
 * const stop = reportHeightToParent();
 * ```
 */
export function reportHeightToParent(
  parent: Window | null = globalThis.parent,
  root: HTMLElement = document.body,
): () => void {
  if (!parent || parent === globalThis.window) return () => {};
  let last = -1;
  const report = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    const message: HeightMessage = { type: "tack:height", height };
    // The parent may be any site embedding Tack, so any origin may listen;
    // the height is not a secret.
    parent.postMessage(message, "*");
  };
  const observer = new ResizeObserver(report);
  observer.observe(root);
  report();
  return () => observer.disconnect();
}
