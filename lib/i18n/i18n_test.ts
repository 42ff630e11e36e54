import assert from "node:assert/strict";
import { hasMessage, renderWith, setCatalogue, t, tx } from "./i18n.ts";

const GERMAN = {
  tag: "de",
  dir: "ltr" as const,
  messages: { "chat.send": "Senden", "chat.files": "{n, plural, one {# Datei} other {# Dateien}}" },
};

Deno.test("t formats the active catalogue's message; an unknown key shows as itself", () => {
  renderWith(GERMAN, () => {
    assert.equal(t("chat.send"), "Senden");
    assert.equal(t("chat.files", { n: 1200 }), "1.200 Dateien");
    assert.equal(t("chat.nothing"), "chat.nothing");
    assert.equal(hasMessage("chat.send"), true);
    assert.deepEqual(tx("chat.send"), ["Senden"]);
  });
});

Deno.test("every copy of the module speaks the one catalogue set, as islands bundled apart do", async () => {
  const copy: typeof import("./i18n.ts") = await import(`./i18n.ts?copy=${Math.random()}`);
  assert.notEqual(copy.t, t, "a second copy of the module");
  const before = copy.activeCatalogue();
  try {
    setCatalogue(GERMAN);
    assert.equal(copy.t("chat.send"), "Senden");
  } finally {
    setCatalogue(before);
  }
});
