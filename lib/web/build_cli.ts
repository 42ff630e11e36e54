/**
 * Builds the islands bundle into `<root>/_build/`.
 *
 * @example
 * ```sh
 * deno run -A lib/web/build_cli.ts
 * ```
 *
 * @module
 */
import { buildIslands } from "./build.ts";

if (import.meta.main) {
  const rootDir = new URL("../../", import.meta.url);
  const { buildId } = await buildIslands({
    rootDir,
    outDir: new URL("_build/", rootDir),
  });
  console.log(`Built islands "${buildId}"`);
}
