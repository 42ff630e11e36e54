/**
 * Lists the files below `dir` as sorted `/`-separated relative paths, or
 * returns `[]` when `dir` does not exist. Hidden entries are skipped.
 */
export async function listFiles(dir: URL): Promise<string[]> {
  const root = asDir(dir);
  const files: string[] = [];
  async function walk(prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(new URL(prefix, root))) {
      if (entry.name.startsWith(".")) continue;
      const path = prefix + entry.name;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (entry.isFile) files.push(path);
    }
  }
  try {
    await walk("");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return files.sort();
}

/** Returns the SHA-256 of `data` as lowercase hex. */
export async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0"))
    .join("");
}

/** Returns `url` with a trailing slash, so relative URLs resolve inside it. */
export function asDir(url: URL): URL {
  return url.href.endsWith("/") ? url : new URL(`${url.href}/`);
}
