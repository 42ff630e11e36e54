/**
 * Bundles the islands one by one, so each page loads only what its island
 * uses, in as few files as the island's own lazy parts allow.
 *
 * One `deno bundle --code-splitting` run over every island at once splits the
 * code two islands share into chunks by which islands use it; the chat page
 * then fetched some twenty small files, each compressed on its own. Here:
 *
 * - `preact.js` holds preact, its hooks and its JSX runtime, once for every
 *   island (a second copy would break hooks);
 * - each island is its own run, with preact left external, into
 *   `<Island>-<HASH>.js` and its own lazy `import()`s; the chunks the island
 *   shares with them are folded back into the island's file
 *   (`chunk_merge.ts`), so a page loads one file per island; runs that emit
 *   the same lazy file emit the same bytes;
 * - `boot.js` imports each island's file lazily by its final name;
 * - `call_frames_worker.js` is the worker that seals call frames, which the
 *   call code starts by that name, beside itself.
 *
 * The bare `preact` imports left in the output are rewritten to
 * `./preact.js`. Every run is `--platform=browser --format=esm --minify`;
 * then every file is minified again by terser (`minify_cli.ts`, in its own
 * process).
 *
 * @module
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { mergeStaticChunks } from "./chunk_merge.ts";
import { asDir, listFiles, sha256Hex } from "./files.ts";

/** The specifiers every island shares through `preact.js`. */
export const SHARED_SPECIFIERS = ["preact", "preact/hooks", "preact/jsx-runtime"] as const;

const RUNTIME_FILE = "preact.js";
const SHARED = new RegExp(
  `(\\bfrom\\s*|\\bimport\\s*\\(?\\s*)"(${SHARED_SPECIFIERS.join("|")})"`,
  "g",
);

/** What {@linkcode bundleIslands} needs. */
export interface IslandBundleOptions {
  /** The project root, holding `islands/` and `deno.json`. */
  rootDir: URL;
  /** Where to write the generated entry modules. */
  entryDir: URL;
  /** The empty folder to write the bundle into. */
  outDir: URL;
}

/**
 * Writes the islands bundle of `islands/*.tsx` (tests excluded) into
 * `outDir`: `boot.js`, `preact.js`, one `<Island>-<HASH>.js` per island and
 * their chunks. Throws when `deno bundle` fails or two runs write different
 * files under one name.
 */
export async function bundleIslands(options: IslandBundleOptions): Promise<void> {
  const root = asDir(options.rootDir);
  const entryDir = asDir(options.entryDir);
  const outDir = asDir(options.outDir);
  await Deno.mkdir(entryDir, { recursive: true });
  const used: SharedImports = { names: new Map(), all: false };
  const names = (await listFiles(new URL("islands/", root)))
    .filter((path) => /^[^/]+(?<!_test)\.tsx$/.test(path))
    .map((path) => path.slice(0, -4));
  const files: Record<string, string> = {};
  for (const name of names) {
    const runDir = new URL(`.run-${name}/`, outDir);
    await runBundle(root, [new URL(`islands/${name}.tsx`, root)], runDir, {
      split: true,
      external: [...SHARED_SPECIFIERS],
    });
    await mergeStaticChunks(
      runDir,
      `${name}.js`,
      [...SHARED_SPECIFIERS],
      (entry, dir, external) => runBundle(root, [entry], dir, { split: false, external }),
    );
    const code = await Deno.readTextFile(new URL(`${name}.js`, runDir));
    const hash = (await sha256Hex(new TextEncoder().encode(code))).slice(0, 8).toUpperCase();
    files[name] = `${name}-${hash}.js`;
    await linkRun(runDir, outDir, { [`${name}.js`]: files[name] }, used);
    await Deno.remove(runDir, { recursive: true });
  }

  const boot = new URL("boot.ts", entryDir);
  const bootModule = specifier(boot, new URL("./boot.ts", import.meta.url));
  const workerModule = specifier(boot, new URL("./service_worker.ts", import.meta.url));
  const loaders = names.map((name) =>
    `  ${JSON.stringify(name)}: () => import(${JSON.stringify(`./${files[name]}`)}),`
  );
  await Deno.writeTextFile(
    boot,
    `import { boot } from ${bootModule};\n` +
      `import { registerServiceWorker } from ${workerModule};\n\n` +
      `boot({\n${loaders.join("\n")}\n}).then(registerServiceWorker);\n`,
  );
  const bootDir = new URL(".run-boot/", outDir);
  await runBundle(root, [boot], bootDir, {
    split: false,
    external: [...SHARED_SPECIFIERS, ...names.map((name) => `./${files[name]}`)],
  });
  await linkRun(bootDir, outDir, {}, used);
  await Deno.remove(bootDir, { recursive: true });

  const runtime = new URL("preact.ts", entryDir);
  await Deno.writeTextFile(runtime, runtimeSource(used));
  await runBundle(root, [runtime], outDir, { split: false, external: [] });
  // The worker that seals call frames where the browser has RTCRtpScriptTransform.
  const worker = new URL(WORKER_ENTRY, root);
  if (await Deno.stat(worker).then(() => true, () => false)) {
    await runBundle(root, [worker], outDir, { split: false, external: [] });
  }
  await minifyAll(root, outDir);
}

/** Runs `minify_cli.ts` over `outDir`, in the project's configuration. */
async function minifyAll(root: URL, outDir: URL): Promise<void> {
  const dir = fileURLToPath(outDir).replace(/[\\/]$/, "");
  const cli = fileURLToPath(new URL("./minify_cli.ts", import.meta.url));
  await runDeno(
    root,
    ["run", `--allow-read=${dir}`, `--allow-write=${dir}`, cli, dir],
    "minifying",
  );
}

/** The entry of the call frames worker, bundled as `call_frames_worker.js`. */
const WORKER_ENTRY = "lib/client/call_frames_worker.ts";

/** What the bundles import from the shared specifiers. */
interface SharedImports {
  /** Each imported name, with the first specifier it was imported from. */
  names: Map<string, string>;
  /** True when some bundle imports a whole namespace. */
  all: boolean;
}

const SHARED_CLAUSE = new RegExp(
  `\\b(?:import|export)\\s*([^"';]*?)\\s*from\\s*"(${SHARED_SPECIFIERS.join("|")})"`,
  "g",
);

/** Notes the names `code` imports (or re-exports) from the shared specifiers. */
function noteSharedImports(code: string, used: SharedImports): void {
  for (const [, clause, from] of code.matchAll(SHARED_CLAUSE)) {
    const braces = /^\{([^}]*)\}$/.exec(clause);
    if (braces === null) {
      used.all = true;
      continue;
    }
    for (const part of braces[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name && !used.names.has(name)) used.names.set(name, from);
    }
  }
}

/**
 * The source of `preact.js`: the names the bundles use, each from the first
 * specifier it was imported from (a name both `preact` and its JSX runtime
 * export, like `Fragment`, is one binding), or everything when a bundle
 * imports a namespace.
 */
function runtimeSource(used: SharedImports): string {
  if (used.all) {
    return 'export * from "preact";\nexport * from "preact/hooks";\n' +
      'export { jsx, jsxAttr, jsxDEV, jsxEscape, jsxs, jsxTemplate } from "preact/jsx-runtime";\n';
  }
  return SHARED_SPECIFIERS.map((from) => {
    const names = [...used.names].filter(([, source]) => source === from).map(([name]) => name);
    return names.length === 0 ? "" : `export { ${names.sort().join(", ")} } from "${from}";\n`;
  }).join("");
}

/** Runs `deno bundle` on `entries` into `outDir`. */
async function runBundle(
  root: URL,
  entries: URL[],
  outDir: URL,
  options: { split: boolean; external: string[] },
): Promise<void> {
  const args = ["bundle", "--platform=browser", "--format=esm", "--minify"];
  if (options.split) args.push("--code-splitting");
  for (const name of options.external) args.push(`--external=${name}`);
  args.push(`--outdir=${fileURLToPath(outDir)}`, ...entries.map((url) => fileURLToPath(url)));
  await runDeno(root, args, '"deno bundle"');
}

/** Runs `deno` with `args` in `root`; throws with its errors, naming `what`, when it fails. */
async function runDeno(root: URL, args: string[], what: string): Promise<void> {
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: fileURLToPath(root),
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    const details = new TextDecoder().decode(stderr);
    throw new Error(`Cannot build islands: ${what} failed\n${details}`);
  }
}

/**
 * Moves the files of one run into `outDir`, renamed by `renames`, with the
 * shared specifiers pointing at `preact.js` and references to renamed files
 * updated.
 */
async function linkRun(
  runDir: URL,
  outDir: URL,
  renames: Record<string, string>,
  used: SharedImports,
): Promise<void> {
  for (const path of await listFiles(runDir)) {
    let code = await Deno.readTextFile(new URL(path, runDir));
    noteSharedImports(code, used);
    code = code.replace(SHARED, (_, head) => `${head}"./${RUNTIME_FILE}"`);
    for (const [from, to] of Object.entries(renames)) {
      code = code.replaceAll(`"./${from}"`, `"./${to}"`);
    }
    const target = new URL(renames[path] ?? path, outDir);
    const existing = await Deno.readTextFile(target).catch(() => null);
    if (existing !== null && existing !== code) {
      throw new Error(`Cannot build islands: two bundles differ in "${renames[path] ?? path}"`);
    }
    await Deno.writeTextFile(target, code);
  }
}

function specifier(from: URL, to: URL): string {
  const path = relative(fileURLToPath(new URL(".", from)), fileURLToPath(to))
    .replaceAll("\\", "/");
  return JSON.stringify(path.startsWith(".") ? path : `./${path}`);
}
