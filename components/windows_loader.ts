/**
 * Where the layers get their windows from: `windows.ts`, fetched on first
 * need so a page that is only looked at does not download it.
 *
 * @module
 */

import { lazyModule } from "../utils/use_lazy.ts";

/** The chat window, composer and floating window, loaded once, on demand. */
export const chatWindows = lazyModule(() => import("./windows.ts"));
