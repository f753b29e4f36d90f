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

/** Why a module could not load: the network, as far as the viewer can tell. */
export const LOAD_FAILED_MESSAGE =
  "Couldn't load. Check your connection and try again.";

/**
 * Wraps a dynamic import so it runs at most once at a time. A failed load
 * (the network went away) is forgotten, so the next need tries again, and
 * fails with {@linkcode LOAD_FAILED_MESSAGE}.
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
        () => {
          loading = null;
          throw new Error(LOAD_FAILED_MESSAGE);
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
 * A failed load is reported to `onError`; the next sign of intent, or the
 * next need, tries again.
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
  // Bumped by each failed load, to listen for intent again.
  const [failures, setFailures] = useState(0);
  const failed = () => setFailures((n) => n + 1);

  useEffect(() => {
    if (!needed || loaded) return;
    let active = true;
    module.load().then(
      (value) => active && setLoaded(() => value),
      (error) => {
        if (!active) return;
        onError?.(error);
        failed();
      },
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
      module.load().then((value) => setLoaded(() => value), failed);
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
  }, [loaded, failures]);

  return loaded;
}
