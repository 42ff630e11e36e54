/**
 * Minifies the islands bundle's modules again, with terser, in place.
 *
 * `deno bundle --minify` (esbuild) minifies in one fast pass; terser's
 * compressor and its mangler, which names bindings by how often they are
 * used, take the chat page's first load about 1.3 KB smaller once
 * brotli-coded. The islands build runs this in its own process over its
 * output folder, so the server's own module graph (and a compiled binary)
 * never holds terser.
 *
 * Every file is an ES module (islands, their lazy parts, `preact.js`,
 * `boot.js` and the module worker `call_frames_worker.js`), so top-level
 * names are mangled; what a module imports and exports keeps its name.
 *
 * @example
 * ```sh
 * deno run --allow-read=DIR --allow-write=DIR lib/web/minify_cli.ts DIR
 * ```
 *
 * @module
 */
import { minify, type MinifyOptions } from "terser";

/** The options every module is minified with. */
export const MINIFY_OPTIONS: MinifyOptions = {
  module: true,
  ecma: 2020,
  compress: { passes: 2 },
  mangle: { toplevel: true },
  format: { comments: false },
};

/**
 * Minifies `code`, an ES module, with {@linkcode MINIFY_OPTIONS}. Throws
 * when terser cannot parse it.
 */
export async function minifyModule(code: string): Promise<string> {
  const result = await minify(code, MINIFY_OPTIONS);
  if (typeof result.code !== "string") throw new Error("Cannot minify: terser returned no code");
  return result.code;
}

/** Minifies every `.js` file directly in `dir` in place; returns how many. */
export async function minifyFolder(dir: string): Promise<number> {
  let count = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".js")) continue;
    const path = `${dir}/${entry.name}`;
    const code = await Deno.readTextFile(path);
    let minified: string;
    try {
      minified = await minifyModule(code);
    } catch (error) {
      throw new Error(`Cannot minify "${entry.name}": ${(error as Error).message}`);
    }
    await Deno.writeTextFile(path, minified);
    count++;
  }
  return count;
}

if (import.meta.main) {
  const [dir] = Deno.args;
  if (dir === undefined) {
    console.error("usage: minify_cli.ts DIR");
    Deno.exit(2);
  }
  await minifyFolder(dir);
}
