import type { ComponentType } from "preact";

/** What a route handler or middleware receives for one request. */
export interface RouteContext<State = unknown> {
  /** The incoming request. */
  req: Request;
  /** The parsed request URL. */
  url: URL;
  /** The decoded path parameters of the matched route, such as `{ id }`. */
  params: Record<string, string>;
  /** The application state passed to `createHandler`. */
  state: State;
  /** Connection information from `Deno.serve`. */
  info: Deno.ServeHandlerInfo;
  /**
   * Renders the route's default page component inside `_app`, with props
   * `{ data, params, url, state }`.
   */
  render(
    data?: unknown,
    init?: { status?: number; headers?: HeadersInit },
  ): Response;
}

/** A function that answers one request. */
export type Handler<State = unknown> = (
  ctx: RouteContext<State>,
) => Response | Promise<Response>;

/** The HTTP methods a route module can handle. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Handlers of a route module, one per HTTP method. */
export type Handlers<State = unknown> = Partial<Record<Method, Handler<State>>>;

/** The props of a page component. */
export interface PageProps<Data = unknown, State = unknown> {
  /** What the handler passed to `ctx.render`. */
  data: Data;
  /** The decoded path parameters. */
  params: Record<string, string>;
  /** The request URL. */
  url: URL;
  /** The application state. */
  state: State;
}

/** The props of `routes/_app.tsx`, which renders the whole document. */
export interface AppProps<State = unknown> {
  /** The page to render inside `<body>`. */
  Component: ComponentType;
  /** The page title. */
  title: string;
  /** The request URL. */
  url: URL;
  /** The application state. */
  state: State;
}

/** A `_middleware.ts` handler; `next()` answers with the rest of the chain. */
export type Middleware<State = unknown> = (
  ctx: RouteContext<State>,
  next: () => Promise<Response>,
) => Promise<Response>;

/** What a route file may export. */
export interface RouteModule<State = unknown> {
  /** A handler for every method, or one per method. */
  handler?: Handler<State> | Handlers<State>;
  /** The page component. */
  default?: ComponentType<PageProps<unknown, State>>;
  /** The page title, fixed or computed from the page props. */
  title?: string | ((props: PageProps<unknown, State>) => string);
}
