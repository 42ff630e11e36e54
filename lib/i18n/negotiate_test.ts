import assert from "node:assert/strict";
import { matchLocale, negotiateLocale, parseAcceptLanguage } from "./negotiate.ts";

const negotiate = (acceptLanguage: string | null, cookie?: string) => {
  const headers = new Headers();
  if (acceptLanguage !== null) headers.set("accept-language", acceptLanguage);
  if (cookie) headers.set("cookie", cookie);
  return negotiateLocale(headers);
};

Deno.test("Accept-Language ranges are ordered by quality, ties by position", () => {
  assert.deepEqual(parseAcceptLanguage("fr;q=0.5, de, ja;q=0.9, es;q=0.5"), [
    "de",
    "ja",
    "fr",
    "es",
  ]);
  assert.deepEqual(parseAcceptLanguage("de;q=0, fr"), ["fr"]);
  assert.deepEqual(parseAcceptLanguage("d<e, fr;q=2, ja;q=abc, he"), ["he"]);
  assert.deepEqual(parseAcceptLanguage(null), []);
});

Deno.test("negotiation takes the best shipped language, with region fallbacks", () => {
  assert.equal(negotiate("de-AT,de;q=0.9,en;q=0.8"), "de");
  assert.equal(negotiate("pt-PT"), "pt-BR");
  assert.equal(negotiate("pt"), "pt-BR");
  assert.equal(negotiate("es-MX"), "es");
  assert.equal(negotiate("zh-CN"), "zh-CN");
  assert.equal(negotiate("zh"), "zh-CN");
  assert.equal(negotiate("zh-Hans-SG"), "zh-CN");
  assert.equal(negotiate("zh-Hant"), "en");
  assert.equal(negotiate("zh-TW, ja;q=0.5"), "ja");
  assert.equal(negotiate("xx, he;q=0.1"), "he");
  assert.equal(negotiate("fa-IR"), "fa");
  assert.equal(negotiate("nl, *;q=0.5"), "en");
  assert.equal(negotiate(null), "en");
  assert.equal(negotiate("garbage;;;,,"), "en");
});

Deno.test("the language chosen in Settings wins over Accept-Language", () => {
  assert.equal(negotiate("de", "theme=dark; anon_locale=ar"), "ar");
  assert.equal(negotiate("de", "anon_locale=en-XA"), "en-XA");
  assert.equal(negotiate("de", "anon_locale=../../etc"), "de");
  assert.equal(negotiate("de", "anon_locale=xx"), "de");
});

Deno.test("a single range matches exactly before matching by language", () => {
  assert.equal(matchLocale("PT-br"), "pt-BR");
  assert.equal(matchLocale("uk-UA"), "uk");
  assert.equal(matchLocale("en-GB"), "en");
  assert.equal(matchLocale("nl"), undefined);
});
