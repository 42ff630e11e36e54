/**
 * Folds the chunks an island's file imports statically back into that file,
 * so a page fetches its island as one file, compressed as one, however many
 * lazy parts share code with it.
 *
 * `deno bundle --code-splitting` puts each module in a chunk by the set of
 * entry points (the island and each lazy `import()`) that reach it, so every
 * lazy part that shares code with the island splits the island's code into
 * more files, each loaded up front and compressed apart. After such a run,
 * {@linkcode mergeStaticChunks} bundles the island's file with the chunks it
 * imports statically into one file that also re-exports what the lazy parts
 * import from those chunks (under names prefixed by the chunk's number), and
 * points the lazy parts'
 * imports of those chunks at the island's file: one copy of every module,
 * with its live bindings, as before.
 *
 * @module
 */
import { listFiles } from "./files.ts";

// esbuild's minified output: `import{a as b,c}from"./chunk-X.js"`,
// `import"./chunk-X.js"`, `export{a as b}from"./chunk-X.js"`.
const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{},\s]*?\bfrom\s*)?"(\.\/[^"]+)"/g;
const IMPORT_CLAUSE = /\bimport\s*\{([^}]*)\}\s*from\s*"(\.\/[^"]+)"|\bimport\s*"(\.\/[^"]+)"/g;

/**
 * Merges into `runDir/<entry>` the chunks it imports statically (with
 * `external` left out of the bundle), rewrites the other files of the run
 * to import what they used from those chunks from `./<entry>`, and deletes
 * the merged chunks. Does nothing when the entry imports no chunk.
 */
export async function mergeStaticChunks(
  runDir: URL,
  entry: string,
  external: string[],
  bundle: (entry: URL, outDir: URL, external: string[]) => Promise<void>,
): Promise<void> {
  const files = (await listFiles(runDir)).filter((name) => name.endsWith(".js"));
  const read = (name: string) => Deno.readTextFile(new URL(name, runDir));
  const merged = await staticClosure(runDir, entry);
  merged.delete(entry);
  if (merged.size === 0) return;
  const chunks = [...merged].sort();
  const prefix = new Map(chunks.map((name, i) => [name, `$${i}_`]));
  const lines = [
    `export * from "./${entry}";`,
    `export { default } from "./${entry}";`,
  ];
  const others = files.filter((name) => name !== entry && !merged.has(name));
  const used = new Map<string, Set<string>>();
  for (const name of others) {
    for (const [, names, from] of (await read(name)).matchAll(IMPORT_CLAUSE)) {
      if (names === undefined || !merged.has(from.slice(2))) continue;
      const set = used.get(from.slice(2)) ?? new Set();
      for (const part of names.split(",")) set.add(part.trim().split(/\s+as\s+/)[0]);
      used.set(from.slice(2), set);
    }
  }
  for (const chunk of chunks) {
    // Only what the lazy parts import: the rest stays inside the one file.
    const names = [...used.get(chunk) ?? []].filter(Boolean).sort();
    if (names.length === 0) continue;
    const list = names.map((name) => `${name} as ${prefix.get(chunk)}${name}`).join(", ");
    lines.push(`export { ${list} } from "./${chunk}";`);
  }
  const mergeEntry = new URL(".merge.js", runDir);
  await Deno.writeTextFile(mergeEntry, lines.join("\n") + "\n");
  const mergeDir = new URL(".merged/", runDir);
  await bundle(mergeEntry, mergeDir, [...external, ...others.map((name) => `./${name}`)]);
  await Deno.rename(new URL(".merge.js", mergeDir), new URL(entry, runDir));
  await Deno.remove(mergeDir, { recursive: true });
  await Deno.remove(mergeEntry);
  for (const chunk of chunks) await Deno.remove(new URL(chunk, runDir));
  for (const name of others) {
    const code = await read(name);
    const next = code.replace(IMPORT_CLAUSE, (clause, names, from, bare) => {
      const chunk = (from ?? bare).slice(2);
      const head = prefix.get(chunk);
      if (head === undefined) return clause;
      if (bare !== undefined) return `import"./${entry}"`;
      const parts = (names as string).split(",").map((part) => part.trim()).filter(Boolean)
        .map((part) => {
          const [name, local = name] = part.split(/\s+as\s+/);
          return `${head}${name} as ${local}`;
        });
      return `import{${parts.join(",")}}from"./${entry}"`;
    });
    if (next !== code) await Deno.writeTextFile(new URL(name, runDir), next);
  }
}

/** The files `entry` reaches by static imports inside `dir`, itself included. */
async function staticClosure(dir: URL, entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const code = await Deno.readTextFile(new URL(name, dir));
    for (const [, specifier] of code.matchAll(STATIC_IMPORT)) pending.push(specifier.slice(2));
  }
  return seen;
}
