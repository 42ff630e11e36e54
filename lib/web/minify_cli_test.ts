import assert from "node:assert/strict";
import { minifyFolder, minifyModule } from "./minify_cli.ts";

// A module shaped like the islands bundle's: a named import from a sibling,
// a lazy import() by file name, top-level bindings and renamed exports.
const MODULE = `
import { double as twice } from "./helper.js";
const greetingPrefix = "Hello, ";
function makeGreeting(name) {
  const unusedLocal = 42;
  return greetingPrefix + name + "!";
}
export const loadLater = () => import("./Later-ABCDEF12.js");
export { makeGreeting as greet, twice as twiceOf };
`;
const HELPER = "export const double = (n) => n * 2;\n";
const LATER = "export const later = true;\n";

/** Writes `files` into a new folder and returns its path. */
async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const [name, code] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, code);
  }
  return dir;
}

Deno.test("minifyModule() keeps what a module imports and exports, and what it does", async () => {
  const minified = await minifyModule(MODULE);
  assert.ok(minified.length < MODULE.length, minified);
  // Local names are mangled; the import's and the exports' names are not.
  assert.ok(!minified.includes("greetingPrefix") && !minified.includes("unusedLocal"), minified);
  assert.match(minified, /import\s*\{\s*double\b[^}]*\}\s*from\s*"\.\/helper\.js"/);
  assert.ok(minified.includes('import("./Later-ABCDEF12.js")'), minified);

  const dir = await folderWith({
    "main.js": minified,
    "helper.js": HELPER,
    "Later-ABCDEF12.js": LATER,
  });
  try {
    const module = await import(`file://${dir}/main.js`);
    assert.equal(module.greet("Eve"), "Hello, Eve!");
    assert.equal(module.twiceOf(21), 42);
    assert.equal((await module.loadLater()).later, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("minifyFolder() minifies every .js file in place and nothing else", async () => {
  const dir = await folderWith({
    "main.js": MODULE,
    "helper.js": HELPER,
    "notes.txt": MODULE,
  });
  try {
    assert.equal(await minifyFolder(dir), 2);
    assert.equal(await Deno.readTextFile(`${dir}/main.js`), await minifyModule(MODULE));
    assert.equal(await Deno.readTextFile(`${dir}/notes.txt`), MODULE);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("minifyFolder() names the file it cannot parse, and leaves it as it was", async () => {
  const broken = "export const = ;\n";
  const dir = await folderWith({ "broken.js": broken });
  try {
    await assert.rejects(minifyFolder(dir), /Cannot minify "broken\.js"/);
    assert.equal(await Deno.readTextFile(`${dir}/broken.js`), broken);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
