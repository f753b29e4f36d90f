/**
 * Public types of the runtime, named and shaped as in Fresh 1.7.
 *
 * @module
 */
import type { ComponentChildren, ComponentType, VNode } from "preact";

// Fresh types page data as `any` by default so handlers and pages can agree
// on a shape without repeating it everywhere.
// deno-lint-ignore no-explicit-any
type AnyData = any;

/** Per-request state shared by middleware, handlers and pages. */
export type DefaultState = Record<string, unknown>;

/** Where a request ended up. */
export type Destination = "internal" | "static" | "route" | "notFound";

/** Options of `ctx.render()`. */
export interface RenderOptions {
  /** @default 200 (404 for the not-found page, 500 for the error page) */
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

/** The context passed to handlers and middleware. */
export interface FreshContext<State = DefaultState, Data = AnyData> {
  /** The request URL, parsed. */
  url: URL;
  /** Route parameters, URL-decoded. */
  params: Record<string, string>;
  /** Per-request state, set by middleware. */
  state: State;
  /** Data passed to `render()`, for pages. */
  data: Data;
  /** The matched route pattern, e.g. `/chat/:id`. */
  route: string;
  /** Same as `route`. */
  pattern: string;
  destination: Destination;
  remoteAddr: Deno.Addr;
  basePath: string;
  isPartial: boolean;
  /** The error being handled, only set while rendering the error page. */
  error?: unknown;
  /** Calls the next middleware, or the route handler. */
  next(): Promise<Response>;
  /** Renders the route's page component with `data`. */
  render(data?: Data, options?: RenderOptions): Promise<Response>;
  /** Renders the `_404` page. */
  renderNotFound(data?: Data): Promise<Response>;
}

/** Fresh 1.7's older name for {@linkcode FreshContext}. */
export type MiddlewareHandlerContext<State = DefaultState> = FreshContext<
  State
>;

/** Alias kept for Fresh compatibility. */
export type HandlerContext<Data = AnyData, State = DefaultState> = FreshContext<
  State,
  Data
>;

/** A route handler. */
export type Handler<Data = AnyData, State = DefaultState> = (
  req: Request,
  ctx: FreshContext<State, Data>,
) => Response | Promise<Response>;

/** HTTP methods a route may handle. */
export type KnownMethod =
  | "GET"
  | "HEAD"
  | "POST"
  | "PUT"
  | "DELETE"
  | "OPTIONS"
  | "PATCH";

/** Route handlers per HTTP method. */
export type Handlers<Data = AnyData, State = DefaultState> = {
  [Method in KnownMethod]?: Handler<Data, State>;
};

/** A middleware function. */
export type MiddlewareHandler<State = DefaultState> = (
  req: Request,
  ctx: FreshContext<State>,
) => Response | Promise<Response>;

/** Props of page components. */
export interface PageProps<Data = AnyData, State = DefaultState> {
  url: URL;
  params: Record<string, string>;
  data: Data;
  state: State;
  route: string;
  isPartial: boolean;
  /** In `_app` and layouts: renders what they wrap. Renders nothing in pages. */
  Component: ComponentType<Record<never, never>>;
}

/** Props of `_app.tsx`: the page is rendered by `<Component />`. */
export type AppProps<Data = AnyData, State = DefaultState> = PageProps<
  Data,
  State
>;

/** Props of `_layout.tsx`: the wrapped content is `<Component />`. */
export type LayoutProps<Data = AnyData, State = DefaultState> = AppProps<
  Data,
  State
>;

/** Props of `_500.tsx`. */
export interface ErrorPageProps extends PageProps {
  error: unknown;
}

/** Props of `_404.tsx`. */
export type UnknownPageProps<Data = AnyData, State = DefaultState> = PageProps<
  Data,
  State
>;

/** A route's exported `config`. */
export interface RouteConfig {
  /** Render without `_app.tsx`. @default false */
  skipAppWrapper?: boolean;
  /** Render without the `_layout.tsx` files above the route. @default false */
  skipInheritedLayouts?: boolean;
}

/** A component that may be async and receives the request context. */
export type AsyncRoute<Data = AnyData, State = DefaultState> = (
  req: Request,
  ctx: FreshContext<State, Data>,
) => Promise<ComponentChildren | VNode>;

/** The generated `fresh.gen.ts` manifest. */
export interface Manifest {
  routes: Record<string, Record<string, unknown>>;
  islands: Record<string, Record<string, unknown>>;
  baseUrl: string;
}

/** A plugin; only client entrypoints are supported. */
export interface Plugin {
  name: string;
  /**
   * Browser modules bundled with the islands (sharing their preact and
   * signals) and served at `/_frsh/js/<build id>/plugin-<name>-<entry>.js`.
   * Values are module specifiers or file URLs.
   */
  entrypoints?: Record<string, string>;
}

/** Options of `start()` and `createHandler()`. */
export interface FreshConfig {
  plugins?: Plugin[];
  /** Folder served as static files, relative to the manifest. @default "./static" */
  staticDir?: string;
  build?: {
    /** Where `dev.ts build` writes the client bundle. @default "./_fresh" */
    outDir?: string;
  };
  server?: {
    /** @default the `PORT` environment variable, else 8000 */
    port?: number;
    /** @default "0.0.0.0" */
    hostname?: string;
    onListen?: (addr: Deno.NetAddr) => void;
    signal?: AbortSignal;
  };
  /** Legacy spelling of `server.port`. */
  port?: number;
}

/** The request handler returned by `createHandler()`. */
export type ServeHandler = (
  req: Request,
  info: Deno.ServeHandlerInfo,
) => Promise<Response>;
