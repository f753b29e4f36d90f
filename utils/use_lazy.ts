/**
 * Code a page does not need until the viewer acts: a module fetched with a
 * dynamic `import()` on first need, once, so pages that are only looked at
 * download less. Fetching starts as soon as the viewer shows intent (the
 * pointer enters the widget, it gets focus or a touch), so by the time a
 * click opens a window the code is usually there already.
 *
 * @module
 */

import { useEffect, useState } from "preact/hooks";
import type { RefObject } from "preact";

/** A module loaded on first need; every caller shares one load. */
export interface LazyModule<T> {
  /** Starts loading (once) and resolves to the module. */
  load(): Promise<T>;
  /** The module if it has loaded, else `undefined`. */
  current(): T | undefined;
}

/**
 * Wraps a dynamic import so it runs at most once at a time. A failed load
 * (the network went away) is forgotten, so the next need tries again.
 *
 * @example
 * ```ts
 * const windows = lazyModule(() => import("../components/windows.ts"));
 * const { ChatWindow } = await windows.load();
 * ```
 */
export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | null = null;
  return {
    load() {
      loading ??= importer().then(
        (module) => loaded = module,
        (error) => {
          loading = null;
          throw error;
        },
      );
      return loading;
    },
    current: () => loaded,
  };
}

/** Events that say the viewer is about to interact with a widget. */
const INTENT_EVENTS = ["pointerover", "focusin", "touchstart"] as const;

/**
 * The module once it has loaded. It loads when `needed` turns true, or
 * earlier, on the first sign of intent inside any of `intentTargets`.
 * A failed load is reported to `onError` and retried on the next need.
 *
 * @example
 * ```tsx
 * const ui = useLazyModule(windows, draft !== null, [layer], showError);
 * {draft && ui && <ui.Composer … />}
 * ```
 */
export function useLazyModule<T>(
  module: LazyModule<T>,
  needed: boolean,
  intentTargets: readonly RefObject<Element>[] = [],
  onError?: (error: unknown) => void,
): T | undefined {
  const [loaded, setLoaded] = useState(module.current);

  useEffect(() => {
    if (!needed || loaded) return;
    let active = true;
    module.load().then(
      (value) => active && setLoaded(() => value),
      (error) => active && onError?.(error),
    );
    return () => {
      active = false;
    };
  }, [needed, loaded]);

  useEffect(() => {
    if (loaded) return;
    const elements = intentTargets.map((ref) => ref.current)
      .filter((el): el is Element => el !== null);
    const prefetch = () => {
      stop();
      // A failed prefetch is retried when the module is needed.
      module.load().then((value) => setLoaded(() => value), () => {});
    };
    const stop = () => {
      for (const el of elements) {
        for (const type of INTENT_EVENTS) {
          el.removeEventListener(type, prefetch);
        }
      }
    };
    for (const el of elements) {
      for (const type of INTENT_EVENTS) {
        el.addEventListener(type, prefetch, { passive: true });
      }
    }
    return stop;
  }, [loaded]);

  return loaded;
}
