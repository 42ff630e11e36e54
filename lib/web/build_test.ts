import assert from "node:assert/strict";
import { buildIslands, ensureIslandsBuilt, hashSources, readManifest } from "./build.ts";

const ROOT_DIR = new URL("./testdata/", import.meta.url);

Deno.test("buildIslands() bundles islands with one copy of preact", async () => {
  const outDir = new URL(`file://${await Deno.makeTempDir()}/`);
  try {
    const { buildId } = await buildIslands({ rootDir: ROOT_DIR, outDir });
    assert.match(buildId, /^[0-9a-f]{16}$/);
    const manifest = await readManifest(outDir);
    assert.deepEqual(manifest, {
      buildId,
      sourceHash: await hashSources(ROOT_DIR),
    });
    const names = (await Array.fromAsync(Deno.readDir(new URL("islands/", outDir))))
      .map((entry) => entry.name);
    assert.ok(names.includes("boot.js"));
    assert.ok(names.some((name) => name.startsWith("Counter")));
    assert.ok(names.some((name) => name.startsWith("Hello")));
    // The preact 11 core names the SVG namespace twice; a second copy of
    // preact (say, one resolved for @preact/signals) would add more.
    const svgNamespaces: Record<string, number> = {};
    for (const name of names) {
      const code = await Deno.readTextFile(new URL(`islands/${name}`, outDir));
      const count = code.split("http://www.w3.org/2000/svg").length - 1;
      if (count > 0) svgNamespaces[name] = count;
    }
    assert.deepEqual(Object.values(svgNamespaces), [2]);

    const again = await ensureIslandsBuilt({ rootDir: ROOT_DIR, outDir });
    assert.equal(again.buildId, buildId);
    await Deno.writeTextFile(
      new URL("manifest.json", outDir),
      JSON.stringify({ buildId: "ffffffffffffffff", sourceHash: "stale" }),
    );
    const rebuilt = await ensureIslandsBuilt({ rootDir: ROOT_DIR, outDir });
    assert.equal(rebuilt.buildId, buildId);
    assert.equal((await readManifest(outDir))?.buildId, buildId);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("ensureIslandsBuilt() uses the existing build when sources are unreadable", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const outDir = new URL(`file://${dir}/_build/`);
    await Deno.mkdir(outDir);
    const manifest = { buildId: "0123456789abcdef", sourceHash: "old" };
    await Deno.writeTextFile(
      new URL("manifest.json", outDir),
      JSON.stringify(manifest),
    );
    const rootDir = new URL(`file://${dir}/`);
    assert.deepEqual(await ensureIslandsBuilt({ rootDir, outDir }), manifest);
    await Deno.remove(new URL("manifest.json", outDir));
    await assert.rejects(
      () => ensureIslandsBuilt({ rootDir, outDir }),
      /Cannot find islands build/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hashSources() changes when an island changes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rootDir = new URL(`file://${dir}/`);
    await Deno.mkdir(new URL("islands/", rootDir));
    await Deno.writeTextFile(new URL("islands/A.tsx", rootDir), "export {};\n");
    await Deno.writeTextFile(new URL("islands/A_test.tsx", rootDir), "1");
    const before = await hashSources(rootDir);
    await Deno.writeTextFile(new URL("islands/A_test.tsx", rootDir), "2");
    assert.equal(await hashSources(rootDir), before);
    await Deno.writeTextFile(
      new URL("islands/A.tsx", rootDir),
      "export {};\n\n",
    );
    assert.notEqual(await hashSources(rootDir), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
