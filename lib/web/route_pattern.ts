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
