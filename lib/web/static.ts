import { asDir, listFiles, sha256Hex } from "./files.ts";

/** A file served from memory. */
export interface StaticFile {
  /** The file contents. */
  body: Uint8Array<ArrayBuffer>;
  /** The `Content-Type` header value. */
  contentType: string;
  /** The first 16 hex digits of the SHA-256 of the contents. */
  hash: string;
}

/** Files of `static/` by URL path, and of the islands build by file name. */
export interface StaticAssets {
  /** `static/` files keyed by URL path, such as `/app.css`. */
  files: Map<string, StaticFile>;
  /** Islands build files keyed by name, such as `boot.js`. */
  islands: Map<string, StaticFile>;
  /** The islands build id, or `null` when there is no build. */
  buildId: string | null;
}

const CONTENT_TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  html: "text/html; charset=utf-8",
  ico: "image/x-icon",
  jpg: "image/jpeg",
  js: "text/javascript; charset=utf-8",
  json: "application/json; charset=utf-8",
  map: "application/json; charset=utf-8",
  png: "image/png",
  svg: "image/svg+xml",
  txt: "text/plain; charset=utf-8",
  webmanifest: "application/manifest+json",
  webp: "image/webp",
  woff2: "font/woff2",
};
const IMMUTABLE = "public, max-age=31536000, immutable";
const versions = new Map<string, string>();

/**
 * Returns the URL of a file of `static/` with its content hash appended, so
 * it can be cached forever: `asset("/app.css")` → `/app.css?v=1a2b…`. Paths
 * of unknown files are returned unchanged.
 */
export function asset(path: string): string {
  const version = versions.get(path);
  return version === undefined ? path : `${path}?v=${version}`;
}

/**
 * Reads `static/` and the islands build into memory and records the hashes
 * used by `asset()`. Missing folders count as empty.
 */
export async function loadStaticAssets(options: {
  staticDir: URL;
  islandsDir: URL;
  buildId: string | null;
}): Promise<StaticAssets> {
  const files = await readFiles(options.staticDir, "/");
  const islands = options.buildId === null ? new Map() : await readFiles(options.islandsDir, "");
  versions.clear();
  for (const [path, file] of files) versions.set(path, file.hash);
  return { files, islands, buildId: options.buildId };
}

/**
 * Answers a request for a static or islands file, or returns `null` when the
 * path names neither. `pathname` must already be decoded and checked.
 */
export function serveStatic(
  req: Request,
  url: URL,
  pathname: string,
  assets: StaticAssets,
): Response | null {
  let file: StaticFile | undefined;
  let cacheControl = "no-cache";
  if (pathname.startsWith("/_islands/")) {
    const [buildId, name] = pathname.slice("/_islands/".length).split("/", 2);
    if (buildId !== assets.buildId) return notFound();
    file = assets.islands.get(name);
    if (file === undefined) return notFound();
    cacheControl = IMMUTABLE;
  } else {
    file = assets.files.get(pathname);
    if (file === undefined) return null;
    if (url.searchParams.get("v") === file.hash) cacheControl = IMMUTABLE;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    return new Response("Method not allowed", {
      status: 405,
      headers: { allow: "GET, HEAD" },
    });
  }
  const etag = `"${file.hash}"`;
  const headers = new Headers({
    "cache-control": cacheControl,
    "content-type": file.contentType,
    etag,
  });
  const match = req.headers.get("if-none-match");
  if (match !== null && match.split(/\s*,\s*/).includes(etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(file.body.byteLength));
  return new Response(req.method === "HEAD" ? null : file.body, { headers });
}

function notFound(): Response {
  return new Response("Not found", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

async function readFiles(
  dir: URL,
  prefix: string,
): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const path of await listFiles(dir)) {
    const body = await Deno.readFile(new URL(path, asDir(dir)));
    const extension = path.split(".").at(-1)!.toLowerCase();
    files.set(prefix + path, {
      body,
      contentType: CONTENT_TYPES[extension] ?? "application/octet-stream",
      hash: (await sha256Hex(body)).slice(0, 16),
    });
  }
  return files;
}
