import assert from "node:assert/strict";
import { argumentsOf, formatParts, MessageSyntaxError, parseMessage } from "./message_format.ts";

const format = (locale: string, pattern: string, params?: Record<string, unknown>) =>
  formatParts(locale, parseMessage(pattern), params).join("");

Deno.test("a placeholder is replaced, and a number is formatted for the locale", () => {
  assert.deepEqual(format("en", "Hello {name}", { name: "Eve" }), "Hello Eve");
  assert.deepEqual(format("en", "{n} bytes", { n: 1234567 }), "1,234,567 bytes");
  assert.deepEqual(format("de", "{n} Bytes", { n: 1234567 }), "1.234.567 Bytes");
});

Deno.test("plural branches follow the locale's plural rules, exact matches first", () => {
  const days = "{count, plural, =0 {today} one {# day} other {# days}}";
  assert.deepEqual(format("en", days, { count: 0 }), "today");
  assert.deepEqual(format("en", days, { count: 1 }), "1 day");
  assert.deepEqual(format("en", days, { count: 3 }), "3 days");
  const ru = "{count, plural, one {# день} few {# дня} many {# дней} other {# дня}}";
  assert.deepEqual(format("ru", ru, { count: 1 }), "1 день");
  assert.deepEqual(format("ru", ru, { count: 3 }), "3 дня");
  assert.deepEqual(format("ru", ru, { count: 5 }), "5 дней");
  assert.deepEqual(format("ru", ru, { count: 21 }), "21 день");
  const ar =
    "{n, plural, zero {لا ملفات} one {ملف} two {ملفان} few {# ملفات} many {# ملفًا} other {# ملف}}";
  assert.deepEqual(format("ar", ar, { n: 2 }), "ملفان");
  assert.deepEqual(format("ar", ar, { n: 0 }), "لا ملفات");
});

Deno.test("select chooses by value and falls back to other", () => {
  const call = "{kind, select, audio {Voice call} video {Video call} other {Call}}";
  assert.deepEqual(format("en", call, { kind: "video" }), "Video call");
  assert.deepEqual(format("en", call, { kind: "fax" }), "Call");
});

Deno.test("apostrophes are plain text and a missing value stays visible", () => {
  assert.deepEqual(format("fr", "L'invitation de {name}", {}), "L'invitation de {name}");
});

Deno.test("non-string values pass through as parts, for elements inside a sentence", () => {
  const element = { type: "strong" };
  assert.deepEqual(formatParts("en", parseMessage("Say {who} hi"), { who: element }), [
    "Say ",
    element,
    " hi",
  ]);
});

Deno.test("argumentsOf lists every placeholder, nested ones too", () => {
  assert.deepEqual(
    argumentsOf(parseMessage("{a} {n, plural, one {{b}} other {# {c}}}")),
    ["a", "b", "c", "n"],
  );
});

Deno.test("malformed patterns are refused with the place of the fault", () => {
  for (
    const bad of ["{", "}", "{1x}", "{n, plural, one {x}}", "{n, number}", "{n, plural, one x}"]
  ) {
    assert.throws(() => parseMessage(bad), MessageSyntaxError);
  }
});
