/**
 * Browser-and-server helpers for app code, as in Fresh 1.7's
 * `$fresh/runtime.ts`.
 *
 * @module
 */
export { asset } from "./src/asset.ts";
export { Head, type HeadProps } from "./src/head.ts";

/** `true` in the browser bundle, `false` while rendering on the server. */
export const IS_BROWSER: boolean = typeof document !== "undefined";
