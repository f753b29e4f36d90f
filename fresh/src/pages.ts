/**
 * Page rendering for the request handler: a route's page through `_app`
 * and its layouts (async components resolved first), and the `_404` and
 * `_500` pages.
 *
 * The boot script carries `ctx.state.cspNonce` as its `nonce` when
 * middleware sets it to a string, so a Content-Security-Policy can allow it.
 *
 * @module
 */
import type { ComponentType } from "preact";
import { nestComponents, renderPage } from "./render.ts";
import type { LayoutRoute, PageComponent, SpecialPage } from "./routes.ts";
import type {
  FreshContext,
  Handler,
  RenderOptions,
  RouteConfig,
} from "./types.ts";

/** The parts of an app that pages render with. */
export interface Pages {
  app?: PageComponent;
  layouts: LayoutRoute[];
  notFound?: SpecialPage;
  error?: SpecialPage;
  /** URL of a client bundle file. */
  scriptUrl: (file: string) => string;
}

/** What `ctx.render()` renders: a page component and where it sits. */
export interface RenderTarget {
  component?: PageComponent;
  /** The page's folder below `routes/`; layouts above it apply. */
  dir: string;
  config: RouteConfig;
  /** Status unless `render()` options say otherwise. */
  status: number;
}

/** Whether folder `dir` is `parent` or inside it (`""` is the root). */
export function within(dir: string, parent: string): boolean {
  return parent === "" || dir === parent || dir.startsWith(parent + "/");
}

/**
 * Runs `_404` or `_500`: its handler if it has one (with `ctx.render`
 * rendering its component), else its component. `null` if the app has none.
 */
async function renderSpecialPage(
  pages: Pages,
  req: Request,
  ctx: FreshContext,
  page: SpecialPage | undefined,
  status: number,
  data: unknown,
): Promise<Response | null> {
  if (!page?.component && !page?.handler) return null;
  const target = { component: page.component, dir: "", config: {}, status };
  const pageCtx: FreshContext = {
    ...ctx,
    render: (data, options) =>
      renderTarget(pages, req, pageCtx, target, data, options),
  };
  if (page.handler) return await page.handler(req, pageCtx);
  return await renderTarget(pages, req, pageCtx, target, data);
}

/**
 * Renders the `_404` page, or a plain 404 without one.
 *
 * @example
 * ```ts
 * return await renderNotFound(pages, req, ctx, undefined);
 * ```
 */
export async function renderNotFound(
  pages: Pages,
  req: Request,
  ctx: FreshContext,
  data: unknown,
): Promise<Response> {
  return await renderSpecialPage(pages, req, ctx, pages.notFound, 404, data) ??
    new Response("Not Found", { status: 404 });
}

/**
 * Logs the error and renders the `_500` page with `ctx.error` set, or a
 * plain 500 when there is none or it fails too.
 *
 * @example
 * ```ts
 * return await renderError(pages, req, ctx, new Error("boom"));
 * ```
 */
export async function renderError(
  pages: Pages,
  req: Request,
  ctx: FreshContext,
  error: unknown,
): Promise<Response> {
  console.error(error);
  try {
    const errorCtx = { ...ctx, error };
    const res = await renderSpecialPage(
      pages,
      req,
      errorCtx,
      pages.error,
      500,
      undefined,
    );
    if (res) return res;
  } catch (pageError) {
    console.error(pageError);
  }
  return new Response("Internal Server Error", { status: 500 });
}

function isAsync(component: PageComponent): boolean {
  return component.constructor.name === "AsyncFunction";
}

/**
 * Renders a page component through `_app` and the layouts above it.
 *
 * @example
 * ```ts
 * return await renderTarget(pages, req, ctx, { ...route, status: 200 }, data);
 * ```
 */
export async function renderTarget(
  pages: Pages,
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
  if (pages.app && !target.config.skipAppWrapper) stack.push(pages.app);
  if (!target.config.skipInheritedLayouts) {
    for (const layout of pages.layouts) {
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
    scriptUrl: pages.scriptUrl,
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
