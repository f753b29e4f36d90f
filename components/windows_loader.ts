/**
 * Where the layers get the parts a viewer needs only once they act
 * (`windows.ts`): fetched on first need, so a page that is only looked at
 * does not download them.
 *
 * @module
 */

import { lazyModule } from "../utils/use_lazy.ts";

/** The discussion windows and the selection prompt, loaded once, on demand. */
export const chatWindows = lazyModule(() => import("./windows.ts"));
