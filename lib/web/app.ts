import { type ComponentType, h } from "preact";
import { errorResponse, HttpError } from "../server/http_error.ts";
import { readManifest } from "./build.ts";
import { asDir } from "./files.ts";
import { renderPage } from "./render.tsx";
import { encodePage } from "./page_encoding.ts";
import { loadCatalogues } from "../i18n/catalogue_files.ts";
import { type Catalogue, hasMessage, renderWith, t } from "../i18n/i18n.ts";
import { negotiateLocale } from "../i18n/negotiate.ts";
import { islandMessageKeys, pickMessages } from "./island_words.ts";
import { discoverRoutes, matchMiddlewares, matchRoute, type RouteMatch } from "./router.ts";
import { loadStaticAssets, serveStatic } from "./static.ts";
import type { Handler, Method, RouteContext } from "./types.ts";

/** Where the application lives and what its handlers share. */
export interface CreateHandlerOptions<State> {
  /** The project root, holding `routes/` and `static/`. */
  rootDir: URL;
  /** The islands build output, holding `manifest.json` and `islands/`. */
  buildDir: URL;
  /** Passed to every handler, middleware and page as `state`. */
  state: State;
}

/** A request handler for `Deno.serve`. */
export type ServeHandler = (
  req: Request,
  info: Deno.ServeHandlerInfo,
) => Promise<Response>;

const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** The catalogues the last `createHandler` loaded, for routes that answer text but not a page. */
let loaded: Map<string, Catalogue> | null = null;

/**
 * The catalogue of the language negotiated for `req` (the language cookie,
 * else `Accept-Language`, else English), from the catalogues the handler
 * loaded at start; an empty English one before any was loaded.
 */
export function catalogueFor(req: Request): Catalogue {
  return loaded?.get(negotiateLocale(req.headers)) ?? loaded?.get("en") ??
    { tag: "en", dir: "ltr", messages: {} };
}

/**
 * Loads the routes, static files and islands build and returns the request
 * handler: middlewares, then static files, then routes. Building the islands
 * is left to the caller (see `ensureIslandsBuilt`).
 *
 * @example
 * ```ts
 * const handler = await createHandler({ rootDir, buildDir, state });
 * Deno.serve({ hostname: "127.0.0.1", port: 8000 }, handler);
 * ```
 */
export async function createHandler<State>(
  options: CreateHandlerOptions<State>,
): Promise<ServeHandler> {
  const rootDir = asDir(options.rootDir);
  const buildDir = asDir(options.buildDir);
  const table = await discoverRoutes(new URL("routes/", rootDir));
  const assets = await loadStaticAssets({
    staticDir: new URL("static/", rootDir),
    islandsDir: new URL("islands/", buildDir),
    buildId: (await readManifest(buildDir))?.buildId ?? null,
    compressedDir: new URL("compressed/", buildDir),
  });
  const catalogues = await loadCatalogues(new URL("locales/", rootDir)).catch((error) => {
    // An application without a `locales/` folder speaks in message keys.
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return new Map([["en", { tag: "en", dir: "ltr" as const, messages: {} }]]);
  });

  loaded = catalogues;
  const islandWords = assets.buildId === null
    ? new Map<string, Set<string>>()
    : await islandMessageKeys(
      new URL("islands/", buildDir),
      Object.keys(catalogues.get("en")!.messages),
    );
  const trimmed = new Map<string, Catalogue>();

  /** The part of `catalogue` the given islands can show, kept once made. */
  function wordsFor(catalogue: Catalogue, islands: string[]): Catalogue {
    const key = `${catalogue.tag} ${[...islands].sort().join(" ")}`;
    let words = trimmed.get(key);
    if (words === undefined) {
      const keys = new Set(islands.flatMap((name) => [...islandWords.get(name) ?? []]));
      trimmed.set(key, words = pickMessages(catalogue, keys));
    }
    return words;
  }

  function html(
    ctx: RouteContext,
    page: { Component: ComponentType; title: () => string },
    init: { status?: number; headers?: HeadersInit },
  ): Response {
    // The page is rendered in the request's language, in one synchronous step.
    const catalogue = catalogueFor(ctx.req);
    const body = renderWith(catalogue, () =>
      renderPage({
        Component: page.Component,
        title: page.title(),
        app: table.app,
        url: ctx.url,
        state: ctx.state,
        buildId: assets.buildId,
        wordsFor: (islands) => wordsFor(catalogue, islands),
      }));
    const headers = new Headers(init.headers);
    headers.set("content-type", "text/html; charset=utf-8");
    headers.set("content-language", catalogue.tag);
    headers.append("vary", "Accept-Language, Cookie, Accept-Encoding");
    const encoded = encodePage(body, ctx.req.headers.get("accept-encoding"));
    if (encoded.coding !== "identity") headers.set("content-encoding", encoded.coding);
    return new Response(encoded.body, { status: init.status ?? 200, headers });
  }

  function fail(ctx: RouteContext, error: unknown): Response {
    if (!(error instanceof HttpError)) {
      console.error(error instanceof Error ? error.stack : String(error));
      error = new HttpError(500, "internal_error", "Internal server error");
    }
    const { status, code, headers } = error as HttpError;
    if (/^\/api(\/|$)/.test(ctx.url.pathname)) {
      return errorResponse(error as HttpError);
    }
    const NotFound = status === 404 ? table.notFound : undefined;
    const Component = NotFound
      ? () => h(NotFound, { data: null, params: {}, url: ctx.url, state: ctx.state })
      : () =>
        h(
          "main",
          null,
          h("h1", null, status),
          h("p", null, describeError(code, status)),
        );
    try {
      const title = () => t(status === 404 ? "common.not_found_title" : "common.error_title");
      return html(ctx, { Component, title }, { status, headers });
    } catch (renderError) {
      console.error(
        renderError instanceof Error ? renderError.stack : String(renderError),
      );
      return new Response(String(status), { status, headers });
    }
  }

  async function dispatch(
    ctx: RouteContext,
    match: RouteMatch | null,
  ): Promise<Response> {
    const pathname = decodePath(ctx.url.pathname);
    const file = pathname === null ? null : serveStatic(ctx.req, ctx.url, pathname, assets);
    if (file !== null) return file;
    if (match === null) {
      throw new HttpError(404, "not_found", "Cannot find the resource");
    }
    const { handler, default: page } = match.route.module;
    if (typeof handler === "function") return await handler(ctx);
    const handlers: Partial<Record<string, Handler>> = { ...handler };
    if (page !== undefined) handlers.GET ??= (ctx) => ctx.render();
    const head = ctx.req.method === "HEAD";
    const selected = handlers[head ? "GET" : ctx.req.method];
    if (selected === undefined) {
      const allow: string[] = METHODS.filter((name) => handlers[name]);
      if (handlers.GET) allow.splice(1, 0, "HEAD");
      throw new HttpError(
        405,
        "method_not_allowed",
        `Cannot ${ctx.req.method} "${match.route.pattern}": method is not allowed`,
        { headers: { allow: allow.join(", ") } },
      );
    }
    const response = await selected(ctx);
    return head ? new Response(null, response) : response;
  }

  return async function handle(req, info) {
    // A Host header no URL can hold (`Host: a b`) is the client's mistake:
    // such a request is answered as one for "/", a 400, and never echoed.
    const parsed = URL.parse(req.url);
    const url = parsed ?? new URL("http://host.invalid/");
    const match = parsed === null || decodePath(url.pathname) === null
      ? null
      : matchRoute(table, url.pathname);
    const ctx: RouteContext = {
      req,
      url,
      info,
      params: match?.params ?? {},
      state: options.state,
      render(data, init = {}) {
        const { default: Page, title } = match?.route.module ?? {};
        if (Page === undefined) {
          throw new TypeError(
            `Cannot render "${url.pathname}": route has no page component`,
          );
        }
        const props = { data, params: ctx.params, url, state: ctx.state };
        return html(ctx, {
          Component: () => h(Page, props),
          title: () => typeof title === "function" ? title(props) : title ?? "",
        }, init);
      },
    };
    const middlewares = matchMiddlewares(table, url.pathname);
    const next = async (index: number): Promise<Response> => {
      if (index < middlewares.length) {
        return await middlewares[index](ctx, () => next(index + 1));
      }
      if (parsed === null) {
        return fail(ctx, new HttpError(400, "invalid_request", "Invalid Host header"));
      }
      return await dispatch(ctx, match).catch((error) => fail(ctx, error));
    };
    return await next(0).catch((error) => fail(ctx, error));
  };
}

/**
 * Decodes a URL path, or returns `null` when it is malformed or could escape
 * a folder (`.` or `..` segments, backslashes, NUL).
 */
export function decodePath(pathname: string): string | null {
  try {
    const decoded = decodeURIComponent(pathname);
    return /(^|\/)\.\.?(\/|$)|[\\\0]/.test(decoded) ? null : decoded;
  } catch {
    return null;
  }
}

/** An error page's sentence in the active language, from the error's code. */
function describeError(code: string, status: number): string {
  return hasMessage(`errors.${code}`)
    ? t(`errors.${code}`)
    : t("errors.unknown", { status: String(status) });
}
