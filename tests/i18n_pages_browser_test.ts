/**
 * The pages in the reader's language, in real Chromium against a real
 * server: Accept-Language negotiation end to end, the Settings language menu
 * (kept in this browser, winning over Accept-Language, survives a reload,
 * cleared by "Delete everything"), the web manifest, and a server error
 * shown in German with no English.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { hydrated, withScene } from "./fixtures/pages.ts";
import { readLocaleMessages } from "../lib/i18n/catalogue_files.ts";
import { LOCALES } from "../lib/i18n/locales.ts";

const enabled = browserTestsEnabled();
const LOCALES_DIR = new URL("../locales/", import.meta.url);

/** The messages of `tag`, by key, as its files hold them. */
async function messages(tag: string): Promise<Record<string, string>> {
  return await readLocaleMessages(new URL(`${tag}/`, LOCALES_DIR));
}

/** A context whose every request says `acceptLanguage`. */
function speaking(acceptLanguage: string) {
  return { extraHTTPHeaders: { "Accept-Language": acceptLanguage } };
}

async function lang(page: Page): Promise<{ lang: string | null; dir: string | null }> {
  return {
    lang: await page.getAttribute("html", "lang"),
    dir: await page.getAttribute("html", "dir"),
  };
}

async function cookieLocale(page: Page): Promise<string | undefined> {
  const cookies = await page.context().cookies();
  return cookies.find((cookie) => cookie.name === "anon_locale")?.value;
}

Deno.test({
  name:
    "Accept-Language picks the home page's language: fr-CA gets French, pt-PT Brazilian Portuguese, zh-Hant English",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const [fr, pt, en] = await Promise.all(["fr", "pt-BR", "en"].map(messages));
    await withScene(async (scene) => {
      const base = scene.server.base;
      await t.step("fr-CA,fr;q=0.9 renders French from the first paint", async () => {
        const page = await scene.newPage(speaking("fr-CA,fr;q=0.9"));
        const response = await page.goto(`${base}/`);
        assert.equal(response?.headers()["content-language"], "fr");
        assert.deepEqual(await lang(page), { lang: "fr", dir: "ltr" });
        assert.equal(await page.locator("h1").innerText(), fr["home.hero_title"]);
        assert.equal(await page.title(), `${fr["home.title"]} · The Anonymous`);
        await hydrated(page);
        assert.equal(await page.locator("#create").innerText(), fr["home.create"]);
        assert.equal(
          await page.locator("#lifetime option:checked").innerText(),
          fr["home.lifetime_86400"],
        );
      });
      await t.step("pt-PT falls back to pt-BR", async () => {
        const page = await scene.newPage(speaking("pt-PT"));
        await page.goto(`${base}/`);
        assert.equal((await lang(page)).lang, "pt-BR");
        assert.equal(await page.locator("h1").innerText(), pt["home.hero_title"]);
      });
      await t.step("zh-Hant is not shipped, so the page is English", async () => {
        const page = await scene.newPage(speaking("zh-Hant"));
        await page.goto(`${base}/`);
        assert.equal((await lang(page)).lang, "en");
        assert.equal(await page.locator("h1").innerText(), en["home.hero_title"]);
      });
      await t.step("the offline and not-found pages follow it too", async () => {
        const page = await scene.newPage(speaking("fr-CA,fr;q=0.9"));
        await page.goto(`${base}/offline`);
        assert.equal(await page.locator("#notice-title").innerText(), fr["pages.offline_heading"]);
        const missing = await page.goto(`${base}/no-such-page`);
        assert.equal(missing?.status(), 404);
        assert.equal(
          await page.locator("#notice-title").innerText(),
          fr["pages.not_found_heading"],
        );
      });
      // The not-found page's own 404 is the only error the browser reports.
      assert.deepEqual(scene.errors.filter((e) => !/status of 404/.test(e)), []);
    });
  },
});

Deno.test({
  name:
    "the Settings language menu switches the language, survives a reload, wins over Accept-Language, and Delete everything forgets it",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const [fr, de] = await Promise.all(["fr", "de"].map(messages));
    await withScene(async (scene) => {
      const base = scene.server.base;
      const page = await scene.newPage(speaking("fr-CA,fr;q=0.9"));
      await t.step(
        "the menu lists every shipped language by its own name, not the pseudo-locale",
        async () => {
          await page.goto(`${base}/settings`);
          await hydrated(page);
          assert.equal(await page.locator("h1").innerText(), fr["settings.title"]);
          const options = await page.locator("#language option").evaluateAll((all) =>
            all.map((option) => [(option as HTMLOptionElement).value, option.textContent])
          );
          assert.deepEqual(options, [
            ["", fr["settings.language_browser"]],
            ...LOCALES.map((locale) => [locale.tag, locale.name]),
          ]);
          assert.equal(await page.inputValue("#language"), "");
        },
      );
      await t.step(
        "choosing Deutsch reloads the page in German and stores the choice here",
        async () => {
          await Promise.all([
            page.waitForEvent("load"),
            page.selectOption("#language", "de"),
          ]);
          await hydrated(page);
          assert.deepEqual(await lang(page), { lang: "de", dir: "ltr" });
          assert.equal(await page.locator("h1").innerText(), de["settings.title"]);
          assert.equal(await page.inputValue("#language"), "de");
          assert.equal(await page.evaluate(() => localStorage.getItem("anon:locale")), "de");
          assert.equal(await cookieLocale(page), "de");
          const cookie = (await page.context().cookies()).find((c) => c.name === "anon_locale")!;
          assert.equal(cookie.sameSite, "Strict");
          assert.equal(cookie.path, "/");
        },
      );
      await t.step("the choice survives a reload and wins over the browser's French", async () => {
        await page.reload();
        assert.equal((await lang(page)).lang, "de");
        await page.goto(`${base}/`);
        assert.equal(await page.locator("h1").innerText(), de["home.hero_title"]);
      });
      await t.step("Same as this browser goes back to Accept-Language", async () => {
        await page.goto(`${base}/settings`);
        await hydrated(page);
        await Promise.all([page.waitForEvent("load"), page.selectOption("#language", "")]);
        await hydrated(page);
        assert.equal((await lang(page)).lang, "fr");
        assert.equal(await cookieLocale(page), undefined);
        assert.equal(await page.evaluate(() => localStorage.getItem("anon:locale")), null);
      });
      await t.step("right-to-left languages turn the page around", async () => {
        await Promise.all([page.waitForEvent("load"), page.selectOption("#language", "ar")]);
        await hydrated(page);
        assert.deepEqual(await lang(page), { lang: "ar", dir: "rtl" });
      });
      await t.step("Delete everything forgets the language with the other settings", async () => {
        const deleteAll = page.locator(".storage-footer button");
        await deleteAll.click();
        await page.locator(".storage-footer .confirm .button.danger").click();
        await page.getByTestId("storage-status").filter({ hasText: /\S/ }).waitFor({
          state: "attached",
        });
        assert.equal(await cookieLocale(page), undefined);
        assert.equal(await page.evaluate(() => localStorage.getItem("anon:locale")), null);
        await page.reload();
        assert.equal((await lang(page)).lang, "fr");
      });
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  name:
    "the web manifest is served in the negotiated language, Spanish here, with lang, dir and Vary",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const [es, ar, ja] = await Promise.all(["es", "ar", "ja"].map(messages));
    await withScene(async (scene) => {
      const base = scene.server.base;
      const page = await scene.newPage(speaking("es-MX,es;q=0.9,en;q=0.5"));
      await page.goto(`${base}/`);
      const href = await page.getAttribute('link[rel="manifest"]', "href");
      assert.equal(href, "/manifest.webmanifest");
      const response = await page.request.get(`${base}${href}`);
      assert.equal(response.status(), 200);
      assert.equal(response.headers()["content-type"], "application/manifest+json");
      assert.match(response.headers()["vary"], /Accept-Language/);
      assert.match(response.headers()["vary"], /Cookie/);
      const manifest = await response.json();
      assert.equal(manifest.lang, "es");
      assert.equal(manifest.dir, "ltr");
      assert.equal(manifest.name, es["pages.manifest_name"]);
      assert.equal(manifest.short_name, es["pages.manifest_short_name"]);
      assert.equal(manifest.description, es["pages.manifest_description"]);
      assert.equal(manifest.start_url, "/");
      assert.equal(manifest.icons.length, 3);

      const arabic = await (await fetch(`${base}/manifest.webmanifest`, {
        headers: { "accept-language": "ar" },
      })).json();
      assert.deepEqual([arabic.lang, arabic.dir], ["ar", "rtl"]);
      assert.equal(arabic.description, ar["pages.manifest_description"]);
      // The language chosen in Settings (the cookie) wins, as for pages.
      const chosen = await (await fetch(`${base}/manifest.webmanifest`, {
        headers: { "accept-language": "ar", cookie: "anon_locale=ja" },
      })).json();
      assert.equal(chosen.description, ja["pages.manifest_description"]);
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  name: "a server error on a too-long create is shown in German, with no English from the server",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const [de, en] = await Promise.all(["de", "en"].map(messages));
    await withScene(async (scene) => {
      const base = scene.server.base;
      const page = await scene.newPage(speaking("de-DE,de;q=0.9"));
      // The form offers only lifetimes the server allows; a request for ten
      // years gets the server's invalid_lifetime refusal.
      const bodies: string[] = [];
      await page.route("**/api/conversations", async (route) => {
        const body = JSON.parse(route.request().postData() ?? "{}");
        body.lifetime = 10 * 365 * 24 * 3600;
        await route.continue({ postData: JSON.stringify(body) });
      });
      page.on("response", async (response) => {
        if (response.url().endsWith("/api/conversations")) bodies.push(await response.text());
      });
      await page.goto(`${base}/`);
      await hydrated(page);
      await page.click("#create");
      const alert = page.locator("form.create p.error[role=alert]");
      await alert.waitFor();
      const text = await alert.innerText();
      assert.equal(text, de["errors.invalid_lifetime"]);
      assert.notEqual(text, en["errors.invalid_lifetime"]);
      // The server did answer in English, with its code; none of it is shown.
      const answer = JSON.parse(bodies[0]);
      assert.equal(answer.error.code, "invalid_lifetime");
      assert.ok(!text.includes(answer.error.message));
      assert.ok(!text.includes("invalid_lifetime"));
      // German shares "Server" with English; these words are English only.
      assert.doesNotMatch(text, /\b(the|lifetime|seconds|allows|invalid)\b/i);
      assert.equal(await page.locator("#create").innerText(), de["home.create"]);
      assert.deepEqual(scene.errors.filter((e) => !/status of 400/.test(e)), []);
    });
  },
});
