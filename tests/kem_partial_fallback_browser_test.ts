/**
 * The noble ML-KEM fallback in real Chromium: a page whose WebCrypto has no
 * `encapsulateBits` fetches it and talks with a page that uses WebCrypto
 * ML-KEM, which never fetches it.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, createConversation, join, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
// No service worker: it would answer the build's files from its cache, out of sight of requests.
const NO_WORKER = { serviceWorkers: "block" } as const;

/** Records the names of the islands build files `page` fetches. */
function islandFetches(page: Page): string[] {
  const names: string[] = [];
  page.on("request", (request) => {
    const match = /\/_islands\/[0-9a-f]{16}\/([^/?]+)$/.exec(new URL(request.url()).pathname);
    if (match) names.push(match[1]);
  });
  return names;
}

Deno.test({
  name:
    "the chat works where WebCrypto has no encapsulateBits, with the noble fallback fetched only there",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withScene(async (scene) => {
      const adam = await scene.newPage(NO_WORKER);
      const eve = await scene.newPage(NO_WORKER);
      await eve.addInitScript(() => {
        const proto = SubtleCrypto.prototype as unknown as Record<string, unknown>;
        delete proto.encapsulateBits;
        delete proto.decapsulateBits;
      });
      const adamFetches = islandFetches(adam);
      const eveFetches = islandFetches(eve);

      const invite = await createConversation(adam, scene.server.base);
      await join(adam, eve, invite);
      await send(eve, "sealed with noble ML-KEM");
      await bubble(adam, "sealed with noble ML-KEM").waitFor();
      await send(adam, "and answered with WebCrypto");
      await bubble(eve, "and answered with WebCrypto").waitFor();

      assert.ok(eveFetches.some((name) => name.startsWith("ml-kem-")), eveFetches.join(" "));
      assert.ok(!adamFetches.some((name) => name.startsWith("ml-kem-")), adamFetches.join(" "));
      assert.equal(
        await eve.evaluate(() =>
          typeof (crypto.subtle as unknown as Record<string, unknown>)
            .encapsulateBits
        ),
        "undefined",
      );
    });
  },
});
