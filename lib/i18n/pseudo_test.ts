import assert from "node:assert/strict";
import { argumentsOf, formatParts, parseMessage } from "./message_format.ts";
import { pseudoMessage } from "./pseudo.ts";

Deno.test("the pseudo-locale accents letters, keeps placeholders and grows 40 %", () => {
  const pseudo = pseudoMessage("Ends in {count, plural, one {# day} other {# days}}");
  assert.deepEqual(argumentsOf(parseMessage(pseudo)), ["count"]);
  const text = formatParts("en", parseMessage(pseudo), { count: 3 }).join("");
  assert.equal(text.startsWith("⟦Éñđš îñ 3 đàýš"), true, text);
  assert.ok(text.endsWith("·⟧"));
  const plain = "Copy link";
  const grown = formatParts("en", parseMessage(pseudoMessage(plain))).join("");
  assert.ok(grown.length >= plain.length * 1.4, grown);
  assert.ok(!/[a-z]/.test(grown.replace(/[^a-z]/gi, "").replace(/[A-Z]/g, "")), grown);
});
