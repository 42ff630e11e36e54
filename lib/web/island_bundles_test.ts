import assert from "node:assert/strict";
import { bundleIslands } from "./island_bundles.ts";
import { listFiles } from "./files.ts";

const ROOT_DIR = new URL("./testdata/", import.meta.url);

Deno.test("bundleIslands() makes one file per island around one preact.js, imported by name", async () => {
  const outDir = new URL(`file://${await Deno.makeTempDir()}/`);
  try {
    await bundleIslands({
      rootDir: ROOT_DIR,
      entryDir: new URL("_build/.entry/", ROOT_DIR),
      outDir,
    });
    const names = await listFiles(outDir);
    const counter = names.find((name) => /^Counter-[0-9A-F]{8}\.js$/.test(name));
    const hello = names.find((name) => /^Hello-[0-9A-F]{8}\.js$/.test(name));
    assert.ok(counter && hello, names.join(" "));
    assert.ok(names.includes("boot.js") && names.includes("preact.js"), names.join(" "));
    const read = (name: string) => Deno.readTextFile(new URL(name, outDir));

    // boot.js loads each island lazily by its final name, and nothing else.
    const boot = await read("boot.js");
    assert.ok(boot.includes(`import("./${counter}")`) && boot.includes(`import("./${hello}")`));
    for (const name of names) {
      const code = await read(name);
      // Every import is relative: the bare specifiers now point at preact.js.
      const specifiers = [...code.matchAll(/\b(?:from|import)\s*\(?\s*"([^"]+)"/g)]
        .map((match) => match[1]);
      assert.deepEqual(specifiers.filter((s) => !s.startsWith("./")), [], name);
      if (name !== "preact.js") {
        assert.ok(!code.includes("http://www.w3.org/2000/svg"), `${name} has its own preact`);
      }
    }
    // preact.js exports the names the bundles import, and not the ones nobody uses.
    const preact = await read("preact.js");
    const exported = /export\s*\{([^}]*)\}/.exec(preact)![1];
    for (const name of ["hydrate", "useState", "useContext", "jsx"]) {
      assert.match(exported, new RegExp(`\\b${name}\\b`), name);
    }
    assert.doesNotMatch(exported, /\buseImperativeHandle\b|\bcloneElement\b/);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
