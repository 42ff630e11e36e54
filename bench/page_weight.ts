/**
 * What a page's JavaScript weighs: the scripts a page loads before any lazy
 * `import()`, raw and as sent gzip- and brotli-coded, file by file, and the
 * scripts it can fetch later by `import()`.
 * `deno run -A bench/page_weight.ts [islandsDir]` prints it for the chat,
 * home and settings pages as JSON, and the chat page's figure once the
 * parts it fetches while idle have arrived ("ChatAfterIdle").
 *
 * @module
 */
import { compress } from "../lib/web/encoding.ts";
import { asDir, listFiles } from "../lib/web/files.ts";

/** The byte sizes of one file or a set of files, as sent with each coding. */
export interface Weight {
  /** Uncompressed bytes. */
  raw: number;
  /** Bytes sent gzip-coded. */
  gzip: number;
  /** Bytes sent brotli-coded. */
  brotli: number;
}

/** The byte sizes of a set of built files, as sent with each coding. */
export interface PageWeight {
  /** The files counted, by name inside the islands build. */
  files: string[];
  /** Uncompressed bytes. */
  raw: number;
  /** Bytes sent gzip-coded. */
  gzip: number;
  /** Bytes sent brotli-coded. */
  brotli: number;
}

// The bundles' minified output: `import{a as b}from"./x.js"`, `import"./x.js"`,
// `export{a}from"./x.js"`. A dynamic `import("./x.js")` has a parenthesis
// after `import` and does not match.
const STATIC_IMPORT =
  /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]*?\bfrom\s*)?["'](\.\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.\/[^"']+)["']\s*\)/g;

/** Returns the relative specifiers a bundled ES module imports statically. */
export function staticImports(code: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((match) => match[1]);
}

/** Returns the relative specifiers a bundled ES module imports by `import("./x.js")`. */
export function dynamicImports(code: string): string[] {
  return [...code.matchAll(DYNAMIC_IMPORT)].map((match) => match[1]);
}

/**
 * Lists the files of an islands build that a page with the given islands
 * loads before any lazy `import()`: `boot.js`, each island's module (named
 * `<Island>-<hash>.js` by the bundler) and everything they import statically.
 */
export async function pageScripts(islandsDir: URL, islands: string[]): Promise<string[]> {
  const dir = asDir(islandsDir);
  const names = await listFiles(dir);
  const pending = ["boot.js"];
  for (const island of islands) {
    const file = names.find((name) => new RegExp(`^${island}-[0-9A-Z]+\\.js$`).test(name));
    if (file === undefined) {
      throw new Error(`Cannot find island "${island}" in the build "${dir.href}"`);
    }
    pending.push(file);
  }
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const code = await Deno.readTextFile(new URL(name, dir));
    for (const specifier of staticImports(code)) pending.push(specifier.slice(2));
  }
  return [...seen].sort();
}

/**
 * Lists the files a page with the given islands can fetch later, by an
 * `import()` of its own or of a file fetched so, that it does not load up
 * front: the parts it shows only in some states, and the noble ML-KEM
 * fallback. `boot.js`'s imports of other islands are not counted.
 */
export async function deferredScripts(islandsDir: URL, islands: string[]): Promise<string[]> {
  const dir = asDir(islandsDir);
  const initial = new Set(await pageScripts(dir, islands));
  const pending: string[] = [];
  for (const name of initial) {
    if (name === "boot.js") continue;
    const code = await Deno.readTextFile(new URL(name, dir));
    for (const specifier of dynamicImports(code)) pending.push(specifier.slice(2));
  }
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name) || initial.has(name)) continue;
    seen.add(name);
    const code = await Deno.readTextFile(new URL(name, dir));
    for (const specifier of [...staticImports(code), ...dynamicImports(code)]) {
      pending.push(specifier.slice(2));
    }
  }
  return [...seen].sort();
}

/**
 * The parts the chat page fetches by itself once a conversation is open and
 * the browser is idle (`preloadChatParts` of `islands/chat/lazy_parts.ts`;
 * `tests/page_weight_test.ts` checks the two lists agree), so that opening
 * one shows it at once. They are not needed to read or send a message.
 */
export const CHAT_IDLE_PARTS = [
  "MessageActionsPanel",
  "FileBubble",
  "Problems",
  "HistorySearch",
  "Verification",
  "ImageViewer",
  "EndWarning",
  "JoinedNotice",
  "NameForm",
  "ConfirmQuestion",
] as const;

/**
 * The code the chat page fetches while idle beside those parts, by the file
 * it is built into: what takes an incoming message (`inbox.ts`) and what
 * seals and opens one (`secure_channel.ts`), which the first message in or
 * out would otherwise fetch (both in `preloadChatParts`), and the sweep of
 * rows older versions left without their conversation (`idb_sweep.ts`,
 * which opening the storage runs once idle).
 */
export const CHAT_IDLE_CODE = ["inbox", "secure_channel", "idb_sweep"] as const;

/**
 * Lists the files the chat page fetches while idle ({@linkcode CHAT_IDLE_PARTS}
 * and {@linkcode CHAT_IDLE_CODE}) beyond those it loads up front: each part's
 * file and what it imports.
 */
export async function idleScripts(islandsDir: URL): Promise<string[]> {
  const dir = asDir(islandsDir);
  // A part shared with another island (a form of `islands/common/`) is built
  // once per island: the chat page's copy is the one its own code imports.
  const names = await deferredScripts(dir, ["Chat"]);
  const initial = new Set(await pageScripts(dir, ["Chat"]));
  const pending = [...CHAT_IDLE_PARTS, ...CHAT_IDLE_CODE].map((part) => {
    const file = names.find((name) => new RegExp(`^${part}-[0-9A-Z]+\\.js$`).test(name));
    if (file === undefined) {
      throw new Error(`Cannot find part "${part}" in the build "${dir.href}"`);
    }
    return file;
  });
  return await importClosure(dir, pending, initial);
}

/**
 * The files `start` names in the build `dir` and all they import
 * statically, leaving out those in `loaded` (already on the page), sorted.
 */
export async function importClosure(
  dir: URL,
  start: string[],
  loaded: Set<string>,
): Promise<string[]> {
  const pending = [...start];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name) || loaded.has(name)) continue;
    seen.add(name);
    const code = await Deno.readTextFile(new URL(name, dir));
    for (const specifier of staticImports(code)) pending.push(specifier.slice(2));
  }
  return [...seen].sort();
}

/**
 * What the chat page has loaded once it was idle with a conversation open:
 * its first load and the parts of {@linkcode CHAT_IDLE_PARTS}.
 */
export async function chatAfterIdle(islandsDir: URL): Promise<PageWeight> {
  const page = await pageScripts(islandsDir, ["Chat"]);
  return await filesWeight(islandsDir, [...page, ...await idleScripts(islandsDir)]);
}

/** Returns the raw, gzip and brotli sizes of each named file of the build. */
export async function fileWeights(
  islandsDir: URL,
  files: string[],
): Promise<Record<string, Weight>> {
  const weights: Record<string, Weight> = {};
  for (const name of files) {
    const body = await Deno.readFile(new URL(name, asDir(islandsDir)));
    const { br, gzip } = compress(body);
    weights[name] = {
      raw: body.byteLength,
      gzip: gzip?.byteLength ?? body.byteLength,
      brotli: br?.byteLength ?? body.byteLength,
    };
  }
  return weights;
}

/** Sums the raw, gzip and brotli sizes of the files a page loads. */
export async function pageWeight(islandsDir: URL, islands: string[]): Promise<PageWeight> {
  return await filesWeight(islandsDir, await pageScripts(islandsDir, islands));
}

/** Sums the raw, gzip and brotli sizes of the named files of the build. */
export async function filesWeight(islandsDir: URL, files: string[]): Promise<PageWeight> {
  const weight: PageWeight = { files, raw: 0, gzip: 0, brotli: 0 };
  for (const name of files) {
    const body = await Deno.readFile(new URL(name, asDir(islandsDir)));
    const { br, gzip } = compress(body);
    weight.raw += body.byteLength;
    weight.gzip += gzip?.byteLength ?? body.byteLength;
    weight.brotli += br?.byteLength ?? body.byteLength;
  }
  return weight;
}

/** Extensions of the text files that must travel compressed. */
const TEXT_FILE = /\.(js|css|svg|json|webmanifest|txt|html|map)$/;

/**
 * Asks a running app for every text file of `static/` and of the islands
 * build with `Accept-Encoding: br, gzip` and returns the paths that came back
 * without a `Content-Encoding`, and how many were asked for.
 */
export async function uncompressedAssets(
  base: string,
  staticDir: URL,
  islandsDir: URL,
  buildId: string,
): Promise<{ checked: number; uncompressed: string[] }> {
  const paths = [
    ...(await listFiles(asDir(staticDir))).map((name) => `/${name}`),
    ...(await listFiles(asDir(islandsDir))).map((name) => `/_islands/${buildId}/${name}`),
  ].filter((path) => TEXT_FILE.test(path));
  const uncompressed: string[] = [];
  for (const path of paths) {
    const coding = await headerOf(new URL(path, base), "content-encoding");
    if (coding !== "br") uncompressed.push(`${path} (${coding ?? "identity"})`);
  }
  return { checked: paths.length, uncompressed };
}

/** One header of a HEAD request sent on a raw connection, as it travelled. */
async function headerOf(url: URL, name: string): Promise<string | null> {
  using conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  await conn.write(new TextEncoder().encode(
    `HEAD ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      "Accept-Encoding: br, gzip\r\nConnection: close\r\n\r\n",
  ));
  const text = new TextDecoder().decode(
    new Uint8Array(await new Response(conn.readable).arrayBuffer()),
  );
  const line = text.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line === undefined ? null : line.slice(name.length + 1).trim();
}

if (import.meta.main) {
  const dir = new URL(Deno.args[0] ?? "../_build/islands/", import.meta.url);
  const report: Record<string, unknown> = {};
  for (const island of ["Chat", "Home", "Settings"]) {
    const islands = [island];
    const weight = await pageWeight(dir, islands);
    const deferred = await deferredScripts(dir, islands);
    report[island] = {
      ...weight,
      perFile: await fileWeights(dir, weight.files),
      deferred: await fileWeights(dir, deferred),
    };
  }
  report.ChatAfterIdle = await chatAfterIdle(dir);
  console.log(JSON.stringify(report, null, 2));
}
