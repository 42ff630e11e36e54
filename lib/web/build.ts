import { fileURLToPath, pathToFileURL } from "node:url";
import { asDir, listFiles, sha256Hex } from "./files.ts";
import { bundleIslands } from "./island_bundles.ts";
import { precompress } from "./precompress.ts";

/** Where to find the project and where to write the islands build. */
export interface BuildOptions {
  /** The project root, holding `islands/`, `lib/` and `deno.json`. */
  rootDir: URL;
  /** The build output folder, such as `<root>/_build/`. */
  outDir: URL;
}

/** The contents of `<outDir>/manifest.json`. */
export interface BuildManifest {
  /** Names the build; part of every islands URL. */
  buildId: string;
  /** The hash of the sources the build was made from. */
  sourceHash: string;
}

const SOURCE_DIRS = ["islands/", "components/", "lib/"];
const SOURCE_FILES = ["deno.json", "deno.lock"];

/**
 * Bundles `islands/*.tsx` with `deno bundle` into `<outDir>/islands/` (one
 * run per island, see `island_bundles.ts`),
 * writes brotli and gzip bodies of the bundle and of `static/`'s text files
 * into `<outDir>/compressed/`, and writes `<outDir>/manifest.json`. The build id is the first 16 hex digits of
 * the SHA-256 of the output files. An island's file name must match the name
 * given to `island()`.
 */
export async function buildIslands(
  options: BuildOptions,
): Promise<{ buildId: string }> {
  const rootDir = asDir(options.rootDir);
  const outDir = asDir(options.outDir);
  const sourceHash = await hashSources(rootDir) ?? "";
  await Deno.mkdir(outDir, { recursive: true });
  const tempDir = await Deno.makeTempDir({
    dir: fileURLToPath(outDir),
    prefix: ".bundle-",
  });
  try {
    await bundleIslands({
      rootDir,
      entryDir: new URL("_build/.entry/", rootDir),
      outDir: pathToFileURL(`${tempDir}/`),
    });
    const tempUrl = pathToFileURL(`${tempDir}/`);
    const buildId = (await hashFiles(tempUrl, await listFiles(tempUrl)))
      .slice(0, 16);
    const islandsDir = new URL("islands", outDir);
    await Deno.remove(islandsDir, { recursive: true }).catch(() => {});
    await Deno.rename(tempDir, islandsDir);
    await precompress(
      [islandsDir, new URL("static/", rootDir)],
      new URL("compressed/", outDir),
    );
    const manifest: BuildManifest = { buildId, sourceHash };
    const temp = new URL("manifest.json.tmp", outDir);
    await Deno.writeTextFile(temp, JSON.stringify(manifest));
    await Deno.rename(temp, new URL("manifest.json", outDir));
    return { buildId };
  } finally {
    await Deno.remove(tempDir, { recursive: true }).catch(() => {});
  }
}

/**
 * Returns the current islands build, rebuilding it when it is missing or the
 * sources changed. When the sources cannot be read (as in a compiled binary)
 * the existing build is used as is.
 */
export async function ensureIslandsBuilt(
  options: BuildOptions,
): Promise<BuildManifest> {
  const outDir = asDir(options.outDir);
  const manifest = await readManifest(outDir);
  const sourceHash = Deno.build.standalone ? null : await hashSources(asDir(options.rootDir));
  if (sourceHash === null) {
    if (manifest !== null) return manifest;
    throw new Error(
      `Cannot find islands build "${outDir.href}": sources are not readable`,
    );
  }
  const built = await exists(new URL("islands/boot.js", outDir));
  if (manifest?.sourceHash === sourceHash && built) return manifest;
  const { buildId } = await buildIslands(options);
  return { buildId, sourceHash };
}

/** Reads `<outDir>/manifest.json`, or returns `null` when there is none. */
export async function readManifest(
  outDir: URL,
): Promise<BuildManifest | null> {
  let value;
  try {
    value = JSON.parse(
      await Deno.readTextFile(new URL("manifest.json", asDir(outDir))),
    );
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  if (!/^[0-9a-f]{16}$/.test(value?.buildId)) {
    throw new TypeError("Cannot read islands manifest: invalid build id");
  }
  return { buildId: value.buildId, sourceHash: String(value.sourceHash) };
}

/**
 * Hashes the sources an islands build depends on (`islands/`, `components/`,
 * `lib/` without tests and test data, `deno.json`, `deno.lock`), or returns
 * `null` when `islands/` cannot be read.
 */
export async function hashSources(rootDir: URL): Promise<string | null> {
  const root = asDir(rootDir);
  if (!await exists(new URL("islands/", root))) return null;
  const paths: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const path of await listFiles(new URL(dir, root))) {
      if (!/\.tsx?$/.test(path) || /_test\.tsx?$/.test(path)) continue;
      if (!/(^|\/)testdata\//.test(path)) paths.push(dir + path);
    }
  }
  for (const file of SOURCE_FILES) {
    if (await exists(new URL(file, root))) paths.push(file);
  }
  return await hashFiles(root, paths);
}

async function hashFiles(root: URL, paths: string[]): Promise<string> {
  const parts: BlobPart[] = [];
  for (const path of paths) {
    const contents = await Deno.readFile(new URL(path, root));
    parts.push(`${path}\0${contents.length}\0`, contents);
  }
  return await sha256Hex(await new Blob(parts).arrayBuffer());
}

function exists(url: URL): Promise<boolean> {
  return Deno.stat(url).then(() => true, () => false);
}
