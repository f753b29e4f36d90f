/**
 * The request pipeline: bundle files, static files, then routes; matching
 * middleware runs root to leaf around whichever it is; pages render through
 * `_app` and layouts; unknown URLs get `_404`, errors get `_500`.
 *
 * @module
 */
import type { ComponentType } from "preact";
import { getBuildId, setBuildId } from "./asset.ts";
import { ClientBundle } from "./bundle.ts";
import { registerIslands } from "./islands.ts";
import { nestComponents, renderPage } from "./render.ts";
import {
  type AppRoutes,
  extractRoutes,
  type PageComponent,
  type PageRoute,
} from "./routes.ts";
import { IMMUTABLE, StaticFiles } from "./static.ts";
import type {
  Destination,
  FreshConfig,
  FreshContext,
  Handler,
  Handlers,
  KnownMethod,
  Manifest,
  RenderOptions,
  RouteConfig,
  ServeHandler,
} from "./types.ts";

const JS_PREFIX = "/_frsh/js/";

interface App extends AppRoutes {
  bundle: ClientBundle;
  statics: StaticFiles;
}

/** What `ctx.render()` renders: a page component and where it sits. */
interface RenderTarget {
  component?: PageComponent;
  dir: string;
  config: RouteConfig;
  status: number;
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
    return { ...routes, bundle, statics };
  };
  return async (req, info) => {
    if (app === null) {
      app = setup();
      app.catch(() => app = null);
    }
    return handle(await app, req, info);
  };
}

/**
 * The URL of a plugin entrypoint's bundle, for pages or scripts that load it:
 * `/_frsh/js/<build id>/plugin-<name>-<entry>.js`. Valid once the app has
 * handled its first request (always true inside handlers).
 *
 * @example
 * ```ts
 * pluginEntrypointUrl("embed", "mount"); // "/_frsh/js/3f2a…/plugin-embed-mount.js"
 * ```
 */
export function pluginEntrypointUrl(name: string, entry: string): string {
  return `${JS_PREFIX}${getBuildId()}/plugin-${name}-${entry}.js`;
}

function within(dir: string, parent: string): boolean {
  return parent === "" || dir === parent || dir.startsWith(parent + "/");
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

async function renderNotFound(
  app: App,
  req: Request,
  ctx: FreshContext,
  data: unknown,
): Promise<Response> {
  const page = app.notFound;
  if (!page?.component && !page?.handler) {
    return new Response("Not Found", { status: 404 });
  }
  const target = {
    component: page.component,
    dir: "",
    config: {},
    status: 404,
  };
  const pageCtx: FreshContext = {
    ...ctx,
    render: (data, options) =>
      renderTarget(app, req, pageCtx, target, data, options),
  };
  if (page.handler) return await page.handler(req, pageCtx);
  return await renderTarget(app, req, pageCtx, target, data);
}

async function renderError(
  app: App,
  req: Request,
  ctx: FreshContext,
  error: unknown,
): Promise<Response> {
  console.error(error);
  const page = app.error;
  try {
    if (page?.component || page?.handler) {
      const target = {
        component: page.component,
        dir: "",
        config: {},
        status: 500,
      };
      const errorCtx: FreshContext = {
        ...ctx,
        error,
        render: (data, options) =>
          renderTarget(app, req, errorCtx, target, data, options),
      };
      if (page.handler) return await page.handler(req, errorCtx);
      return await renderTarget(app, req, errorCtx, target, undefined);
    }
  } catch (pageError) {
    console.error(pageError);
  }
  return new Response("Internal Server Error", { status: 500 });
}

function isAsync(component: PageComponent): boolean {
  return component.constructor.name === "AsyncFunction";
}

/** Renders a page through `_app` and its layouts. */
async function renderTarget(
  app: App,
  req: Request,
  ctx: FreshContext,
  target: RenderTarget,
  data: unknown,
  options: RenderOptions = {},
): Promise<Response> {
  if (!target.component) {
    throw new Error(`Route ${ctx.route} has no page component.`);
  }
  ctx.data = data;
  const stack: PageComponent[] = [];
  if (app.app && !target.config.skipAppWrapper) stack.push(app.app);
  if (!target.config.skipInheritedLayouts) {
    for (const layout of app.layouts) {
      if (within(target.dir, layout.dir)) stack.push(layout.component);
    }
  }
  stack.push(target.component);
  const props: Record<string, unknown> = {
    url: ctx.url,
    params: ctx.params,
    data,
    state: ctx.state,
    route: ctx.route,
    isPartial: false,
    ...(ctx.error !== undefined ? { error: ctx.error } : {}),
  };
  const syncStack = await resolveAsync(stack, req, ctx, props);
  const nonce = ctx.state.cspNonce;
  const { html } = renderPage({
    stack: syncStack,
    props,
    scriptUrl: (file) => `${JS_PREFIX}${app.bundle.buildId}/${file}`,
    nonce: typeof nonce === "string" ? nonce : undefined,
  });
  const headers = new Headers(options.headers);
  if (!headers.has("Content-Type")) {
    headers.set("Content-Type", "text/html; charset=utf-8");
  }
  return new Response(html, {
    status: options.status ?? target.status,
    statusText: options.statusText,
    headers,
  });
}

/**
 * Calls async components (`async (req, ctx) => JSX`) ahead of the
 * synchronous render, innermost first so a layout's `ctx.Component` is ready.
 */
async function resolveAsync(
  stack: PageComponent[],
  req: Request,
  ctx: FreshContext,
  props: Record<string, unknown>,
): Promise<ComponentType[]> {
  const resolved = [...stack] as ComponentType[];
  for (let i = resolved.length - 1; i >= 0; i--) {
    const component = stack[i];
    if (!isAsync(component)) continue;
    const inner = resolved.slice(i + 1);
    const Component = () => nestComponents(inner, props);
    const output = await (component as Handler)(
      req,
      { ...ctx, Component } as FreshContext,
    );
    resolved[i] = () => output;
  }
  return resolved;
}
