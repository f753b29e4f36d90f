/**
 * What a layer does inside Tack's iframe embed: report its height to the
 * parent page. The code for it is fetched only when the layer is embedded.
 *
 * @module
 */

import { useEffect } from "preact/hooks";

/**
 * Reports the page's height to the parent while mounted, when `embedded`.
 *
 * @example
 * ```tsx
 * useEmbedFrame(props.embedded ?? false);
 * ```
 */
export function useEmbedFrame(embedded: boolean): void {
  useEffect(() => {
    if (!embedded) return;
    let stop: (() => void) | null = null;
    let active = true;
    import("./embed_height.ts").then(({ reportHeightToParent }) => {
      if (active) stop = reportHeightToParent();
    });
    return () => {
      active = false;
      stop?.();
    };
  }, [embedded]);
}
