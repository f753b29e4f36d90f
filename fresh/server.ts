/**
 * Server API for app code, as in Fresh 1.7's `$fresh/server.ts`.
 *
 * @module
 */
export { createHandler } from "./src/handler.ts";
export { start } from "./src/start.ts";
export type {
  AppProps,
  ErrorPageProps,
  FreshConfig,
  FreshContext,
  Handler,
  HandlerContext,
  Handlers,
  LayoutProps,
  Manifest,
  MiddlewareHandler,
  MiddlewareHandlerContext,
  PageProps,
  Plugin,
  RenderOptions,
  RouteConfig,
  ServeHandler,
  UnknownPageProps,
} from "./src/types.ts";
import type { FreshConfig } from "./src/types.ts";

/**
 * Types a `fresh.config.ts` default export.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [] });
 * ```
 */
export function defineConfig(config: FreshConfig): FreshConfig {
  return config;
}
