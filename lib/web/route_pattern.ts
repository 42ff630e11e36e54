/**
 * Turns a file path relative to `routes/` into a URL pattern, or `null` when
 * the file is not a route (names starting with `_`, tests, other extensions).
 *
 * @example
 * ```ts
 * routePattern("c/[id].tsx"); // "/c/:id"
 * routePattern("index.tsx"); // "/"
 * routePattern("_app.tsx"); // null
 * ```
 */
export function routePattern(relativePath: string): string | null {
  const path = relativePath.replaceAll("\\", "/");
  const match = /^(.*)\.(ts|tsx|js|jsx)$/.exec(path);
  if (match === null || /_test$/.test(match[1])) return null;
  const segments = match[1].split("/");
  if (segments.some((segment) => segment.startsWith("_"))) return null;
  if (segments.at(-1) === "index") segments.pop();
  const parts = segments.map((segment) => {
    const rest = /^\[\.\.\.(\w+)\]$/.exec(segment);
    if (rest !== null) return `:${rest[1]}*`;
    const param = /^\[(\w+)\]$/.exec(segment);
    return param !== null ? `:${param[1]}` : segment;
  });
  return "/" + parts.join("/");
}

/**
 * Compares two patterns so that more specific ones sort first: at the first
 * differing segment a static segment beats a parameter, which beats a rest
 * parameter.
 */
export function compareRoutePatterns(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] === right[i]) continue;
    if (left[i] === undefined) return -1;
    if (right[i] === undefined) return 1;
    const rank = segmentRank(left[i]) - segmentRank(right[i]);
    if (rank !== 0) return rank;
    return left[i] < right[i] ? -1 : 1;
  }
  return 0;
}

function segmentRank(segment: string): number {
  if (!segment.startsWith(":")) return 0;
  return segment.endsWith("*") ? 2 : 1;
}

/**
 * Compiles a pattern of {@linkcode routePattern} (static segments, `:name`
 * for one segment, `:name*` for zero or more) into a regular expression with
 * a named group per parameter, matching as `URLPattern` would but without
 * its cost on every request.
 *
 * @example
 * ```ts
 * patternRegExp("/c/:id").exec("/c/01J")?.groups; // { id: "01J" }
 * ```
 */
export function patternRegExp(pattern: string): RegExp {
  if (pattern === "/") return /^\/$/;
  const parts = pattern.split("/").slice(1).map((segment) => {
    const rest = /^:(\w+)\*$/.exec(segment);
    if (rest !== null) return `(?:/(?<${rest[1]}>[^/]+(?:/[^/]+)*))?`;
    const param = /^:(\w+)$/.exec(segment);
    if (param !== null) return `/(?<${param[1]}>[^/]+)`;
    return "/" + segment.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  });
  return new RegExp(`^${parts.join("")}$`);
}

/** The paths a folder's middleware applies to: the folder's own path and everything under it. */
export function folderRegExp(base: string): RegExp {
  const escaped = base.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`^${escaped}(?:/.*)?$`);
}
