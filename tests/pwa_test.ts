/**
 * Installable and offline: the web manifest and its icons, and the service
 * worker in real Chromium, which keeps the application shell only.
 * `UPDATE_ICONS=1` renders the PNG icons again from `static/favicon.svg`.
 */
import "../lib/i18n/use_english.ts";
import assert from "node:assert/strict";
import { MANIFEST_ICON_SIZES, webManifest } from "../lib/web/manifest.ts";
import { browserTestsEnabled, launchChromium } from "./fixtures/browser.ts";
import { ICON_SIZES, pngSize, renderIcons } from "./fixtures/icons.ts";
import { createConversation, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const STATIC = new URL("../static/", import.meta.url);

Deno.test({
  name: "the PNG icons are rendered from favicon.svg (UPDATE_ICONS=1)",
  ignore: !enabled || Deno.env.get("UPDATE_ICONS") !== "1",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using browser = await launchChromium();
    await renderIcons(browser);
  },
});

Deno.test("the web manifest names the app and lists icons that exist at their size", async () => {
  const manifest = webManifest() as {
    name: string;
    start_url: string;
    display: string;
    icons: { src: string; sizes: string; type: string }[];
  };
  assert.equal(manifest.name, "The Anonymous");
  assert.equal(manifest.start_url, "/");
  assert.equal(manifest.display, "standalone");
  const pngs = manifest.icons.filter((icon: { type: string }) => icon.type === "image/png");
  assert.deepEqual(pngs.map((icon: { sizes: string }) => icon.sizes), ["192x192", "512x512"]);
  for (const icon of manifest.icons) {
    const bytes = await Deno.readFile(new URL(`.${icon.src}`, STATIC));
    if (icon.type !== "image/png") continue;
    const [width, height] = icon.sizes.split("x").map(Number);
    assert.deepEqual(pngSize(bytes), { width, height }, icon.src);
  }
  assert.deepEqual(ICON_SIZES, MANIFEST_ICON_SIZES);
});

Deno.test({
  name: "the service worker keeps the shell and opened chat pages only, and serves them offline",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withScene(async (scene) => {
      const { server, errors } = scene;
      const page = await scene.newPage();
      const invite = await createConversation(page, server.base);
      const conversationPath = new URL(invite).pathname;

      await t.step("the page links the manifest, served as a manifest", async () => {
        await page.goto(`${server.base}/`);
        assert.equal(
          await page.getAttribute('link[rel="manifest"]', "href"),
          "/manifest.webmanifest",
        );
        const response = await page.request.get(`${server.base}/manifest.webmanifest`);
        assert.equal(response.headers()["content-type"], "application/manifest+json");
      });

      let buildId = "";
      await t.step(
        "after a first visit the worker of this build is active and in control",
        async () => {
          buildId = (await page.getAttribute('script[src^="/_islands/"]', "src"))!.split("/")[2];
          assert.match(buildId, /^[0-9a-f]{16}$/);
          const scriptUrl = await page.evaluate(async () => {
            const registration = await navigator.serviceWorker.ready;
            return registration.active!.scriptURL;
          });
          assert.equal(
            new URL(scriptUrl).pathname + new URL(scriptUrl).search,
            `/sw.js?build=${buildId}`,
          );
          await page.reload();
          await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
        },
      );

      await t.step(
        "its cache holds the shell of this build, chat pages by path, and nothing of the API",
        async () => {
          const cached = await page.evaluate(async () => {
            const entries: Record<string, string[]> = {};
            for (const name of await caches.keys()) {
              const cache = await caches.open(name);
              entries[name] = (await cache.keys()).map((r) =>
                new URL(r.url).pathname + new URL(r.url).search
              );
            }
            return entries;
          });
          assert.deepEqual(Object.keys(cached), [`anon-shell-${buildId}`]);
          const paths = cached[`anon-shell-${buildId}`];
          for (
            const expected of [
              "/",
              "/offline",
              `/_islands/${buildId}/boot.js`,
              "/manifest.webmanifest",
            ]
          ) {
            assert.ok(paths.includes(expected), `${expected} is cached`);
          }
          assert.ok(paths.some((p) => p.startsWith("/app.css?v=")), "the stylesheet is cached");
          assert.ok(
            paths.some((p) => /^\/_islands\/[0-9a-f]{16}\/Home-/.test(p)),
            "islands are cached",
          );
          for (const path of paths) {
            assert.doesNotMatch(path, /^\/api(\/|$)/, `${path} must not be cached`);
            assert.ok(
              path === "/" || path === "/offline" || /\.\w+(\?|$)/.test(path) ||
                path === conversationPath,
              path,
            );
          }
        },
      );

      await t.step(
        "offline, the home page opens from the cache and other pages say offline",
        async () => {
          await page.context().setOffline(true);
          try {
            await page.goto(`${server.base}/`);
            await page.getByRole("heading", { name: "Talk privately. Leave nothing behind." })
              .waitFor();
            await page.locator("#create").waitFor();
            // A conversation never opened here has no kept page.
            for (const path of ["/nowhere", "/c/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/settings"]) {
              await page.goto(server.base + path);
              await page.getByRole("heading", { name: "You are offline" }).waitFor();
            }
          } finally {
            await page.context().setOffline(false);
          }
          await page.goto(server.base + conversationPath);
          await page.locator('[data-testid="peer-state"]').waitFor();
          const paths = await page.evaluate(async () => {
            const cache = await caches.open((await caches.keys())[0]);
            return (await cache.keys()).map((r) => new URL(r.url).pathname);
          });
          assert.deepEqual(paths.filter((p) => /^\/api(\/|$)/.test(p)), [], "still no API answer");
          // The chat page opened online is kept by its path alone, for reading offline.
          assert.deepEqual(paths.filter((p) => p.startsWith("/c/")), [conversationPath]);
        },
      );

      assert.deepEqual(
        errors.filter((e) => !/status of 404|ERR_INTERNET_DISCONNECTED/.test(e)),
        [],
      );
    });
  },
});
