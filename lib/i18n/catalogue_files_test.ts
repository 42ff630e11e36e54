import assert from "node:assert/strict";
import { loadCatalogues, readLocaleMessages } from "./catalogue_files.ts";
import { MessageSyntaxError } from "./message_format.ts";

async function withLocales(files: Record<string, string>, fn: (dir: URL) => Promise<void>) {
  const root = await Deno.makeTempDir();
  try {
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${root}/${path.split("/")[0]}`, { recursive: true });
      await Deno.writeTextFile(`${root}/${path}`, text);
    }
    await fn(new URL(`file://${root}/`));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("message files become <file>.<key>, the glossary left out", async () => {
  await withLocales({
    "de/chat.json": '{"send": "Senden"}',
    "de/glossary.json": '{"safety number": "Sicherheitsnummer"}',
  }, async (dir) => {
    assert.deepEqual(await readLocaleMessages(new URL("de/", dir)), { "chat.send": "Senden" });
  });
});

Deno.test("a malformed or mistyped translation stops loading with its place named", async () => {
  await withLocales({ "de/chat.json": '{"send": "Senden {"}' }, async (dir) => {
    await assert.rejects(readLocaleMessages(new URL("de/", dir)), MessageSyntaxError);
  });
  await withLocales({ "de/chat.json": '{"send": 3}' }, async (dir) => {
    await assert.rejects(readLocaleMessages(new URL("de/", dir)), /"chat.send" .*not a string/);
  });
  await withLocales({ "de/chat.json": "[]" }, async (dir) => {
    await assert.rejects(readLocaleMessages(new URL("de/", dir)), /not a JSON object/);
  });
});

Deno.test("the shipped catalogues load, each with every English key", async () => {
  const catalogues = await loadCatalogues(new URL("../../locales/", import.meta.url));
  const english = Object.keys(catalogues.get("en")!.messages).sort();
  assert.equal(catalogues.size, 14);
  for (const [tag, catalogue] of catalogues) {
    assert.deepEqual(Object.keys(catalogue.messages).sort(), english, tag);
  }
  assert.equal(catalogues.get("ar")!.dir, "rtl");
  assert.match(catalogues.get("en-XA")!.messages["common.settings"], /^⟦Šéţţîñĝš ·+⟧$/);
});
