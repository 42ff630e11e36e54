import { asDir, listFiles, sha256Hex } from "./files.ts";
import {
  compress,
  type Compression,
  COMPRESSIONS,
  type Encodings,
  EXTENSIONS,
  isCompressible,
  negotiateEncoding,
} from "./encoding.ts";

/** A file served from memory. */
export interface StaticFile {
  /** The file contents. */
  body: Uint8Array<ArrayBuffer>;
  /** The `Content-Type` header value. */
  contentType: string;
  /** The first 16 hex digits of the SHA-256 of the contents. */
  hash: string;
  /** Compressed bodies of a text file, `null` for other files. */
  encodings: Encodings | null;
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
 * used by `asset()`. Missing folders count as empty. Text files get brotli
 * and gzip bodies, read from `compressedDir` (written by the build as
 * `<hash>.br` and `<hash>.gz`) or, where missing, compressed now.
 */
export async function loadStaticAssets(options: {
  staticDir: URL;
  islandsDir: URL;
  buildId: string | null;
  compressedDir?: URL;
}): Promise<StaticAssets> {
  const { compressedDir } = options;
  const files = await readFiles(options.staticDir, "/", compressedDir);
  const islands = options.buildId === null
    ? new Map()
    : await readFiles(options.islandsDir, "", compressedDir);
  versions.clear();
  for (const [path, file] of files) versions.set(path, file.hash);
  return { files, islands, buildId: options.buildId };
}

/**
 * Answers a request for a static or islands file, or returns `null` when the
 * path names neither. `pathname` must already be decoded and checked. A text
 * file is sent brotli- or gzip-coded as `Accept-Encoding` allows, with
 * `Vary: Accept-Encoding` and an ETag per coding.
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
  const coding = file.encodings === null ? "identity" : negotiateEncoding(
    req.headers.get("accept-encoding"),
    Object.keys(file.encodings) as Compression[],
  );
  const body = coding === "identity" ? file.body : file.encodings![coding]!;
  const etag = coding === "identity" ? `"${file.hash}"` : `"${file.hash}-${coding}"`;
  const headers = new Headers({
    "cache-control": cacheControl,
    "content-type": file.contentType,
    etag,
  });
  if (file.encodings !== null) headers.set("vary", "Accept-Encoding");
  if (coding !== "identity") headers.set("content-encoding", coding);
  const match = req.headers.get("if-none-match");
  if (match !== null && match.split(/\s*,\s*/).includes(etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(body.byteLength));
  return new Response(req.method === "HEAD" ? null : body, { headers });
}

function notFound(): Response {
  return new Response("Not found", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** Returns the Content-Type of a file name by its extension. */
export function contentTypeOf(path: string): string {
  const extension = path.split(".").at(-1)!.toLowerCase();
  return CONTENT_TYPES[extension] ?? "application/octet-stream";
}

async function readFiles(
  dir: URL,
  prefix: string,
  compressedDir: URL | undefined,
): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const path of await listFiles(dir)) {
    const body = await Deno.readFile(new URL(path, asDir(dir)));
    const contentType = contentTypeOf(path);
    const hash = (await sha256Hex(body)).slice(0, 16);
    const encodings = isCompressible(contentType)
      ? await readEncodings(compressedDir, hash) ?? compress(body)
      : null;
    files.set(prefix + path, { body, contentType, hash, encodings });
  }
  return files;
}

/** Reads the build's compressed bodies of one file, or `null` if it has none. */
async function readEncodings(dir: URL | undefined, hash: string): Promise<Encodings | null> {
  if (dir === undefined) return null;
  const encodings: Encodings = {};
  let found = false;
  for (const coding of COMPRESSIONS) {
    const url = new URL(`${hash}.${EXTENSIONS[coding]}`, asDir(dir));
    try {
      encodings[coding] = await Deno.readFile(url);
      found = true;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return found ? encodings : null;
}
