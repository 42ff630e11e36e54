import { compress, type Compression, EXTENSIONS, isCompressible } from "./encoding.ts";
import { asDir, listFiles, sha256Hex } from "./files.ts";
import { contentTypeOf } from "./static.ts";

/**
 * Writes the brotli and gzip bodies of every text file below `dirs` into
 * `outDir` as `<hash>.br` and `<hash>.gz`, where `<hash>` is the first 16 hex
 * digits of the SHA-256 of the original, as `loadStaticAssets()` looks them
 * up. `outDir` is emptied first. Returns the number of files compressed.
 */
export async function precompress(dirs: URL[], outDir: URL): Promise<number> {
  const out = asDir(outDir);
  await Deno.remove(out, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.mkdir(out, { recursive: true });
  let count = 0;
  for (const dir of dirs) {
    for (const path of await listFiles(dir)) {
      if (!isCompressible(contentTypeOf(path))) continue;
      const body = await Deno.readFile(new URL(path, asDir(dir)));
      const hash = (await sha256Hex(body)).slice(0, 16);
      const encodings = compress(body);
      for (const [coding, data] of Object.entries(encodings)) {
        await Deno.writeFile(new URL(`${hash}.${EXTENSIONS[coding as Compression]}`, out), data);
      }
      count++;
    }
  }
  return count;
}
