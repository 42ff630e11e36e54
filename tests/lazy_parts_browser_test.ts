/**
 * The chat page's parts loaded on demand, in real Chromium: the QR code
 * encoder is fetched only when a QR code is shown, a conversation opens and
 * talks without it (nor the noble ML-KEM fallback, nor the notices), and a
 * part that cannot be fetched says so while the rest of the page works.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, createConversation, join, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
// No service worker: it would answer the build's files from its cache, out of sight of routing.
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

const fetched = (names: string[], prefix: string) => names.some((n) => n.startsWith(prefix));

Deno.test({
  name: "the chat page fetches the QR code encoder only when a QR code is shown",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withScene(async (scene) => {
      const adam = await scene.newPage(NO_WORKER);
      const eve = await scene.newPage(NO_WORKER);
      const adamFetches = islandFetches(adam);
      const eveFetches = islandFetches(eve);

      await t.step("the creator's invite panel fetches it for the invite's QR code", async () => {
        const invite = await createConversation(adam, scene.server.base);
        await adam.locator('[data-testid="invite-qr"]').waitFor();
        assert.ok(fetched(adamFetches, "QrCode-"), adamFetches.join(" "));
        await join(adam, eve, invite);
      });

      await t.step(
        "the person who joins talks without it, the notices or noble ML-KEM",
        async () => {
          await send(eve, "no QR code needed");
          await bubble(adam, "no QR code needed").waitFor();
          await send(adam, "nor here");
          await bubble(eve, "nor here").waitFor();
          for (const prefix of ["QrCode-", "PhaseNotice-", "ml-kem-"]) {
            assert.ok(!fetched(eveFetches, prefix), `${prefix}: ${eveFetches.join(" ")}`);
          }
        },
      );

      await t.step("opening the safety number fetches it and shows its QR code", async () => {
        await eve.getByRole("button", { name: "Verify" }).click();
        await eve.locator('[data-testid="verification"] svg.qr').waitFor();
        assert.ok(fetched(eveFetches, "QrCode-"), eveFetches.join(" "));
      });
    });
  },
});

Deno.test({
  name: "a part of the chat page that cannot be fetched asks for a reload; the rest works",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withScene(async (scene) => {
      const adam = await scene.newPage(NO_WORKER);
      await adam.route(/\/QrCode-[0-9A-Z]+\.js$/, (route) => route.abort());
      const invite = await createConversation(adam, scene.server.base);
      await adam.locator(".invite-qr [role=alert]", {
        hasText: "Cannot load this part of the page: reload it.",
      }).waitFor();
      assert.equal(await adam.inputValue("#invite-link"), invite);
      assert.equal(await adam.locator('[data-testid="invite-qr"]').count(), 0);
    });
  },
});
