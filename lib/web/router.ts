import type { ComponentType } from "preact";
import { listFiles } from "./files.ts";
import {
  compareRoutePatterns,
  folderRegExp,
  patternRegExp,
  routePattern,
} from "./route_pattern.ts";
import type { AppProps, Middleware, PageProps, RouteModule } from "./types.ts";

/** One route found under `routes/`. */
export interface Route {
  /** The pattern, such as `/c/:id`. */
  pattern: string;
  /** The module that handles it. */
  module: RouteModule;
  /** The compiled pattern, with a named group per parameter. */
  matcher: RegExp;
}

/** Everything found under `routes/`. */
export interface RouteTable {
  /** Routes, most specific first. */
  routes: Route[];
  /** Middlewares with the paths they apply to, outermost folder first. */
  middlewares: { matcher: RegExp; handler: Middleware }[];
  /** The default export of `_app.tsx`, if any. */
  app?: ComponentType<AppProps>;
  /** The default export of `_404.tsx`, if any. */
  notFound?: ComponentType<PageProps>;
}

/** A route that matched a path, with its decoded parameters. */
export interface RouteMatch {
  /** The matched route. */
  route: Route;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

/**
 * Walks `routesDir` and imports every route module and the `_app`, `_404`
 * and `_middleware` files. Paths are resolved from `routesDir` alone, so this
 * works in a compiled binary that includes the folder.
 */
export async function discoverRoutes(routesDir: URL): Promise<RouteTable> {
  const table: RouteTable = { routes: [], middlewares: [] };
  for (const path of await listFiles(routesDir)) {
    const href = new URL(path, routesDir).href;
    const pattern = routePattern(path);
    const special = /^(.*?)_(app|404|middleware)\.[jt]sx?$/.exec(path);
    if (pattern !== null) {
      const module: RouteModule = await import(href);
      const matcher = patternRegExp(pattern);
      table.routes.push({ pattern, module, matcher });
    } else if (special?.[2] === "middleware") {
      const { handler } = await import(href);
      if (typeof handler !== "function") {
        throw new TypeError(
          `Cannot load middleware "${path}": "handler" is not a function`,
        );
      }
      const base = routePattern(`${special[1]}index.ts`)!.replace(/\/$/, "");
      const matcher = folderRegExp(base);
      table.middlewares.push({ matcher, handler });
    } else if (special?.[1] === "" && special[2] === "app") {
      table.app = (await import(href)).default;
    } else if (special?.[1] === "" && special[2] === "404") {
      table.notFound = (await import(href)).default;
    }
  }
  table.routes.sort((a, b) => compareRoutePatterns(a.pattern, b.pattern));
  // A folder's pattern extends its parent's, so shorter runs first (outer).
  table.middlewares.sort((a, b) => a.matcher.source.length - b.matcher.source.length);
  return table;
}

/**
 * Finds the first route matching `pathname` (as it appears in the URL, still
 * percent-encoded), or `null` when none does or a parameter is malformed.
 */
export function matchRoute(
  table: RouteTable,
  pathname: string,
): RouteMatch | null {
  for (const route of table.routes) {
    const found = route.matcher.exec(pathname);
    if (found === null) continue;
    const groups = found.groups ?? {};
    const params: Record<string, string> = {};
    try {
      for (const [key, value] of Object.entries(groups)) {
        if (value !== undefined) params[key] = decodeURIComponent(value);
      }
    } catch {
      return null;
    }
    return { route, params };
  }
  return null;
}

/** Returns the middlewares that apply to `pathname`, outermost first. */
export function matchMiddlewares(
  table: RouteTable,
  pathname: string,
): Middleware[] {
  return table.middlewares
    .filter(({ matcher }) => matcher.test(pathname))
    .map(({ handler }) => handler);
}
