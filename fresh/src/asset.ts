/**
 * Cache busting for static files: `asset("/styles.css")` adds the build id
 * so the file may be cached forever and still change with each build.
 *
 * @module
 */

import { BUILD_ID, setBuildId } from "./server/build_id.ts";

export { setBuildId };

/** The current build id, empty until the runtime sets it. */
export function getBuildId(): string {
  return BUILD_ID;
}

/**
 * Adds `?__frsh_c=<build id>` to a root-relative path. Other URLs (absolute,
 * protocol-relative, or already busted) are returned unchanged.
 *
 * @example
 * ```ts
 * asset("/styles.css"); // "/styles.css?__frsh_c=3f2a…"
 * ```
 */
export function asset(path: string): string {
  if (!path.startsWith("/") || path.startsWith("//")) return path;
  try {
    const url = new URL(path, "http://fresh");
    if (url.searchParams.has("__frsh_c")) return path;
    url.searchParams.set("__frsh_c", BUILD_ID);
    return url.pathname + url.search + url.hash;
  } catch {
    return path;
  }
}
