import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { mergeStaticChunks } from "./chunk_merge.ts";
import { listFiles } from "./files.ts";

/** `deno bundle` of one entry, as the islands build runs it. */
async function bundle(entry: URL, outDir: URL, external: string[]): Promise<void> {
  const args = ["bundle", "--platform=browser", "--format=esm", "--minify"];
  for (const name of external) args.push(`--external=${name}`);
  args.push(`--outdir=${fileURLToPath(outDir)}`, fileURLToPath(entry));
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
}

Deno.test("mergeStaticChunks() folds the island's chunks into its file and lazy parts share that one copy", async () => {
  const dir = new URL(`file://${await Deno.makeTempDir()}/`);
  try {
    const write = (name: string, code: string) => Deno.writeTextFile(new URL(name, dir), code);
    // What a split run writes: the island, two chunks it imports, a lazy part using one.
    await write("chunk-AAAA.js", "let n=0;function a(){return++n}export{a as a};\n");
    await write(
      "chunk-BBBB.js",
      'import{a as x}from"./chunk-AAAA.js";const b=()=>x()*10;export{b as b};\n',
    );
    await write(
      "Main.js",
      'import{a as p}from"./chunk-AAAA.js";import{b as q}from"./chunk-BBBB.js";' +
        'async function m(){p();q();const l=await import("./Lazy-CCCC.js");return l.run()}' +
        "export{m as default};\n",
    );
    await write(
      "Lazy-CCCC.js",
      'import{a as z}from"./chunk-AAAA.js";function run(){return z()}export{run};\n',
    );

    await mergeStaticChunks(dir, "Main.js", [], bundle);

    assert.deepEqual(await listFiles(dir), ["Lazy-CCCC.js", "Main.js"]);
    const lazy = await Deno.readTextFile(new URL("Lazy-CCCC.js", dir));
    assert.match(lazy, /from"\.\/Main\.js"/);
    assert.doesNotMatch(lazy, /chunk-/);
    // One counter for both: the island counted twice, the lazy part's call is the third.
    const main = await import(new URL("Main.js", dir).href);
    assert.equal(await main.default(), 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeStaticChunks() leaves a run whose island imports no chunk as it is", async () => {
  const dir = new URL(`file://${await Deno.makeTempDir()}/`);
  try {
    const code = 'function m(){return import("./Lazy-CCCC.js")}export{m as default};\n';
    await Deno.writeTextFile(new URL("Main.js", dir), code);
    await Deno.writeTextFile(new URL("Lazy-CCCC.js", dir), "export const x=1;\n");
    await mergeStaticChunks(dir, "Main.js", [], () => Promise.reject(new Error("not called")));
    assert.equal(await Deno.readTextFile(new URL("Main.js", dir)), code);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
