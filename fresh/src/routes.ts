/**
 * Reads a manifest into what the request handler needs: pages with their
 * URL patterns (ranked), layouts, middleware, `_app`, `_404`, `_500` and the
 * island components.
 *
 * @module
 */
import type { ComponentType } from "preact";
import type { Island } from "./islands.ts";
import { stringToIdentifier } from "./manifest.ts";
import { pathToPattern, RoutePattern, sortRoutePaths } from "./router.ts";
import type {
  AsyncRoute,
  Handler,
  Handlers,
  Manifest,
  MiddlewareHandler,
  RouteConfig,
} from "./types.ts";

/** A page component, or an async function of `(req, ctx)` returning JSX. */
// deno-lint-ignore no-explicit-any
export type PageComponent = ComponentType<any> | AsyncRoute;

/** A page or API route. */
export interface PageRoute {
  /** e.g. `./routes/blog/[id].tsx` */
  file: string;
  /** Its folder below `routes/`, groups kept: `/(site)/blog`; `""` at the root. */
  dir: string;
  pattern: RoutePattern;
  component?: PageComponent;
  handler: Handler | Handlers;
  config: RouteConfig;
}

/** A `_layout` file. */
export interface LayoutRoute {
  dir: string;
  component: PageComponent;
}

/** A `_middleware` file. */
export interface MiddlewareRoute {
  dir: string;
  /** Matches every URL below the folder (groups are transparent). */
  urlPattern: RoutePattern;
  handlers: MiddlewareHandler[];
}

/** `_404` or `_500`. */
export interface SpecialPage {
  component?: PageComponent;
  handler?: Handler;
}

/** Everything the handler routes to. */
export interface AppRoutes {
  routes: PageRoute[];
  layouts: LayoutRoute[];
  middlewares: MiddlewareRoute[];
  app?: PageComponent;
  notFound?: SpecialPage;
  error?: SpecialPage;
  islands: Island[];
}

type Module = Record<string, unknown>;

/**
 * Reads the manifest's routes and islands.
 *
 * @example
 * ```ts
 * import manifest from "./fresh.gen.ts";
 * const { routes } = extractRoutes(manifest);
 * ```
 */
export function extractRoutes(manifest: Manifest): AppRoutes {
  const result: AppRoutes = {
    routes: [],
    layouts: [],
    middlewares: [],
    islands: [],
  };
  const files = Object.keys(manifest.routes).sort(sortRoutePaths);
  for (const file of files) {
    const module = manifest.routes[file] as Module;
    const path = file.replace(/^\.\/routes/, "").replace(/\.[tj]sx?$/, "");
    const dir = path.slice(0, path.lastIndexOf("/"));
    const name = path.slice(path.lastIndexOf("/") + 1);
    const component = module.default as PageComponent | undefined;
    if (name === "_middleware") {
      const handler = module.handler as MiddlewareHandler | MiddlewareHandler[];
      const prefix = pathToPattern(dir.slice(1));
      result.middlewares.push({
        dir,
        urlPattern: new RoutePattern(prefix === "/" ? "/*" : `${prefix}{/*}?`),
        handlers: Array.isArray(handler) ? handler : [handler],
      });
    } else if (name === "_layout" && component) {
      result.layouts.push({ dir, component });
    } else if (path === "/_app") {
      result.app = component;
    } else if (path === "/_404" || path === "/_500") {
      const page = {
        component,
        handler: module.handler as Handler | undefined,
      };
      if (path === "/_404") result.notFound = page;
      else result.error = page;
    } else if (!name.startsWith("_")) {
      result.routes.push({
        file,
        dir,
        pattern: new RoutePattern(pathToPattern(path.slice(1))),
        component,
        handler: routeHandler(module, component),
        config: (module.config ?? {}) as RouteConfig,
      });
    }
  }
  result.islands = extractIslands(manifest);
  return result;
}

function routeHandler(
  module: Module,
  component?: PageComponent,
): Handler | Handlers {
  const handler = module.handler as Handler | Handlers | undefined;
  if (typeof handler === "function") return handler;
  const handlers: Handlers = { ...handler };
  if (component && !handlers.GET) handlers.GET = (_req, ctx) => ctx.render();
  return handlers;
}

/**
 * Lists every function exported by an island module as an island, with
 * Fresh's ids: `islands/chat/Window.tsx`'s default export is
 * `chat_window_default`.
 */
function extractIslands(manifest: Manifest): Island[] {
  const islands: Island[] = [];
  for (const [file, module] of Object.entries(manifest.islands)) {
    const base = file.replace(/^\.\/islands\//, "").replace(/\.[tj]sx?$/, "");
    const name = stringToIdentifier(base).toLowerCase();
    const url = new URL(file, manifest.baseUrl).href;
    for (const [exportName, component] of Object.entries(module)) {
      if (typeof component !== "function") continue;
      islands.push({
        id: `${name}_${exportName.toLowerCase()}`,
        name,
        exportName,
        url,
        component: component as ComponentType,
      });
    }
  }
  return islands;
}
