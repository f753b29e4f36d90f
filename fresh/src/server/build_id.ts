/**
 * The build id, at the path where Fresh 1.x exports it, so app code can build
 * bundle URLs (`/_frsh/js/${BUILD_ID}/plugin-<name>-<entry>.js`) the same way
 * with this runtime and with Fresh. A live binding: empty until the runtime
 * has computed the id, which happens before the first request is handled.
 *
 * @module
 */

export let BUILD_ID = "";

/** Records the build id. Called by the runtime, not by app code. */
export function setBuildId(id: string): void {
  BUILD_ID = id;
}
