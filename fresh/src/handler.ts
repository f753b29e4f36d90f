/**
 * The request pipeline: bundle files, static files, then routes; matching
 * middleware runs root to leaf around whichever it is; pages render through
 * `_app` and layouts; unknown URLs get `_404`, errors get `_500`.
 *
 * @module
 */
import { setBuildId } from "./asset.ts";
import { ClientBundle } from "./bundle.ts";
import { registerIslands } from "./islands.ts";
import {
  type Pages,
  renderError,
  renderNotFound,
  renderTarget,
  within,
} from "./pages.ts";
import { type AppRoutes, extractRoutes, type PageRoute } from "./routes.ts";
import { IMMUTABLE, StaticFiles } from "./static.ts";
import type {
  Destination,
  FreshConfig,
  FreshContext,
  Handlers,
  KnownMethod,
  Manifest,
  ServeHandler,
} from "./types.ts";

const JS_PREFIX = "/_frsh/js/";

interface App extends AppRoutes, Pages {
  bundle: ClientBundle;
  statics: StaticFiles;
}

let useSnapshot = true;

/** Makes handlers created afterwards ignore a prebuilt `_fresh/` (dev mode). */
export function ignoreSnapshot(): void {
  useSnapshot = false;
}

/** Turns a file URL of a folder into a path without a trailing slash. */
export function urlToDir(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/\/$/, "");
}

/**
 * Creates the request handler for an app. Setup that needs I/O (build id,
 * static file list) happens on the first request; later requests reuse it.
 *
 * @example
 * ```ts
 * import manifest from "./fresh.gen.ts";
 * Deno.serve(createHandler(manifest));
 * ```
 */
export function createHandler(
  manifest: Manifest,
  config: FreshConfig = {},
): ServeHandler {
  const routes = extractRoutes(manifest);
  registerIslands(routes.islands);
  const root = urlToDir(new URL(".", manifest.baseUrl));
  const resolve = (path: string) => urlToDir(new URL(path, manifest.baseUrl));
  let app: Promise<App> | null = null;
  const setup = async (): Promise<App> => {
    const [bundle, statics] = await Promise.all([
      ClientBundle.open({
        root,
        islands: routes.islands,
        plugins: config.plugins ?? [],
        outDir: resolve(config.build?.outDir ?? "./_fresh"),
        useSnapshot,
      }),
      StaticFiles.load(resolve(config.staticDir ?? "./static")),
    ]);
    setBuildId(bundle.buildId);
    const scriptUrl = (file: string) => `${JS_PREFIX}${bundle.buildId}/${file}`;
    return { ...routes, bundle, statics, scriptUrl };
  };
  return async (req, info) => {
    if (app === null) {
      app = setup();
      app.catch(() => app = null);
    }
    return handle(await app, req, info);
  };
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

async function handle(
  app: App,
  req: Request,
  info: Deno.ServeHandlerInfo,
): Promise<Response> {
  const url = new URL(req.url);
  const path = decodePath(url.pathname);
  let destination: Destination = "notFound";
  let route: PageRoute | undefined;
  let params: Record<string, string> = {};
  if (path.startsWith(JS_PREFIX)) {
    destination = "internal";
  } else if (
    (req.method === "GET" || req.method === "HEAD") && app.statics.has(path)
  ) {
    destination = "static";
  } else {
    for (const candidate of app.routes) {
      const match = candidate.pattern.match(url.pathname);
      if (match) {
        destination = "route";
        route = candidate;
        params = match.params;
        break;
      }
    }
  }

  const ctx: FreshContext = {
    url,
    params,
    state: {},
    data: undefined,
    route: route?.pattern.source ?? "",
    pattern: route?.pattern.source ?? "",
    destination,
    remoteAddr: info.remoteAddr,
    basePath: "",
    isPartial: false,
    next: () =>
      Promise.reject(new Error("ctx.next() called outside middleware")),
    render: (data, options) =>
      route
        ? renderTarget(app, req, ctx, { ...route, status: 200 }, data, options)
        : renderNotFound(app, req, ctx, data),
    renderNotFound: (data) => renderNotFound(app, req, ctx, data),
  };

  const final = (): Promise<Response> => {
    switch (destination) {
      case "internal":
        return serveBundleFile(app.bundle, path);
      case "static":
        return app.statics.serve(req, path, url);
      case "route":
        return callRoute(route!, req, ctx);
      default:
        return renderNotFound(app, req, ctx, undefined);
    }
  };
  const middlewares = app.middlewares
    .filter((m) =>
      route ? within(route.dir, m.dir) : m.urlPattern.match(url.pathname)
    )
    .flatMap((m) => m.handlers);
  const dispatch = async (i: number): Promise<Response> => {
    if (i === middlewares.length) return await final();
    ctx.next = () => dispatch(i + 1);
    return await middlewares[i](req, ctx);
  };

  try {
    return await dispatch(0);
  } catch (error) {
    return await renderError(app, req, ctx, error);
  }
}

async function serveBundleFile(
  bundle: ClientBundle,
  path: string,
): Promise<Response> {
  const [buildId, ...rest] = path.slice(JS_PREFIX.length).split("/");
  const headers = { "Access-Control-Allow-Origin": "*" };
  const body = buildId === bundle.buildId
    ? await bundle.file(rest.join("/"))
    : undefined;
  if (body === undefined) {
    return new Response("Not Found", { status: 404, headers });
  }
  return new Response(body as BodyInit, {
    headers: {
      ...headers,
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": IMMUTABLE,
    },
  });
}

function allowedMethods(handlers: Handlers): string[] {
  const methods = Object.keys(handlers);
  if (handlers.GET && !handlers.HEAD) methods.push("HEAD");
  return methods;
}

function withoutBody(res: Response): Response {
  res.body?.cancel();
  return new Response(null, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}

/** Runs the route's handler for the method; HEAD falls back to GET, minus the body. */
async function callRoute(
  route: PageRoute,
  req: Request,
  ctx: FreshContext,
): Promise<Response> {
  const handlers = route.handler;
  if (typeof handlers === "function") {
    const res = await handlers(req, ctx);
    return req.method === "HEAD" ? withoutBody(res) : res;
  }
  const handler = handlers[req.method as KnownMethod];
  if (handler) return await handler(req, ctx);
  if (req.method === "HEAD" && handlers.GET) {
    const getReq = new Request(req.url, {
      method: "GET",
      headers: req.headers,
    });
    return withoutBody(await handlers.GET(getReq, ctx));
  }
  return new Response("Method Not Allowed", {
    status: 405,
    headers: { Allow: allowedMethods(handlers).join(", ") },
  });
}
