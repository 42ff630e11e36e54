/**
 * Every page is rendered in the language the request asks for, from the
 * first byte: `<html lang dir>`, the words, `Content-Language` and `Vary`,
 * and requests in different languages at once never mix.
 */
import assert from "node:assert/strict";
import { startTestServer } from "./fixtures/server.ts";

const PAGES = ["/", "/settings", "/offline", "/nowhere", "/c/01J00000000000000000000000"];

async function page(base: string, path: string, headers: Record<string, string>) {
  const response = await fetch(`${base}${path}`, { headers });
  const html = await response.text();
  const [, lang, dir] = /<html lang="([^"]+)" dir="(ltr|rtl)"/.exec(html) ?? [];
  return { response, html, lang, dir };
}

Deno.test("each page carries <html lang dir>, Content-Language and Vary of the negotiated language", async () => {
  await using server = await startTestServer();
  for (
    const [acceptLanguage, lang, dir] of [
      ["ar-EG,ar;q=0.9", "ar", "rtl"],
      ["he", "he", "rtl"],
      ["fa-IR", "fa", "rtl"],
      ["de-CH, en;q=0.5", "de", "ltr"],
      ["pt-PT", "pt-BR", "ltr"],
      ["zh-Hant-TW", "en", "ltr"],
      ["nl", "en", "ltr"],
    ] as const
  ) {
    for (const path of PAGES) {
      const found = await page(server.base, path, { "accept-language": acceptLanguage });
      assert.deepEqual([found.lang, found.dir], [lang, dir], `${acceptLanguage} ${path}`);
      assert.equal(found.response.headers.get("content-language"), lang);
      assert.match(found.response.headers.get("vary") ?? "", /Accept-Language, Cookie/);
    }
  }
});

Deno.test("the language cookie from Settings wins, and a bad one is ignored", async () => {
  await using server = await startTestServer();
  const chosen = await page(server.base, "/", {
    "accept-language": "de",
    cookie: "anon_locale=ja",
  });
  assert.equal(chosen.lang, "ja");
  assert.match(chosen.html, /<title>[^<]*The Anonymous<\/title>/);
  const bad = await page(server.base, "/", {
    "accept-language": "de",
    cookie: "anon_locale=<script>",
  });
  assert.equal(bad.lang, "de");
  assert.doesNotMatch(bad.html, /<script>"/);
});

Deno.test("pages in different languages rendered at the same time do not mix", async () => {
  await using server = await startTestServer();
  const tags = ["ar", "de", "ja", "ru", "es", "he", "tr", "uk"];
  const results = await Promise.all(
    Array.from({ length: 64 }, (_, i) => tags[i % tags.length]).map(async (tag) => {
      const found = await page(server.base, "/settings", { "accept-language": tag });
      const embedded = /<script type="application\/json" id="__i18n">(.*?)<\/script>/s.exec(
        found.html,
      );
      return { tag, lang: found.lang, islands: embedded ? JSON.parse(embedded[1]).tag : tag };
    }),
  );
  for (const { tag, lang, islands } of results) {
    assert.equal(lang, tag);
    assert.equal(islands, tag, "the islands get the page's own catalogue");
  }
});

Deno.test("the page's words come from the catalogue of its language", async () => {
  await using server = await startTestServer();
  const german = await page(server.base, "/nowhere", { "accept-language": "de" });
  assert.match(german.html, /Zum Inhalt springen/);
  assert.doesNotMatch(german.html, /Skip to content/);
  const english = await page(server.base, "/nowhere", {});
  assert.match(english.html, /Skip to content/);
});

Deno.test("pages travel compressed when the browser takes it, with the same text", async () => {
  await using server = await startTestServer();
  const url = `${server.base}/settings`;
  const plain = await fetch(url, { headers: { "accept-encoding": "identity" } });
  const br = await fetch(url, { headers: { "accept-encoding": "br" } });
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.match(br.headers.get("vary") ?? "", /Accept-Encoding/);
  // fetch decodes the body; both say the same.
  assert.equal(await br.text(), await plain.text());
});
