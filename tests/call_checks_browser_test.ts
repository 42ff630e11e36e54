/**
 * The call payloads' field checks in real Chromium: the chat page fetches
 * them only when the first call payload is sealed or opened, and a page that
 * cannot fetch them takes no call payload (nothing rings), while the
 * conversation goes on and the next call payload fetches them again.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { FAKE_MEDIA, panel, phase, placeCall } from "./fixtures/calls.ts";
import { bubble, joinedPair, type Scene, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };
// No service worker: it would answer the build's files from its cache, out of sight of routing.
const NO_WORKER = { serviceWorkers: "block" } as const;
const CHECKS = /\/_islands\/[0-9a-f]{16}\/payload_call_checks-[0-9A-Z]+\.js$/;
const CALL_CODE = /\/_islands\/[0-9a-f]{16}\/CallPanel-[0-9A-Z]+\.js$/;

/** Records the URLs `page` requests. */
function requests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(new URL(request.url()).pathname));
  return urls;
}

/** A joined pair without service workers, both online, who have exchanged a text. */
async function talkingPair(scene: Scene) {
  const { adam, eve } = await joinedPair(scene, NO_WORKER);
  await eve.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
  await send(eve, "before any call");
  await bubble(adam, "before any call").waitFor();
  return { adam, eve };
}

Deno.test({
  ...options,
  name:
    "the call checks are fetched only once a call payload is sealed or opened, and the first offer rings",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await talkingPair(scene);
      const adamFetched = requests(adam);
      const eveFetched = requests(eve);
      // Loaded with the page, or by the messages so far: never.
      const loaded = await Promise.all(
        [adam, eve].map((page) =>
          page.evaluate(() =>
            performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname)
          )
        ),
      );
      for (const urls of loaded) assert.ok(!urls.some((url) => CHECKS.test(url)), urls.join(" "));
      await placeCall(adam, eve, "audio");
      assert.ok(adamFetched.some((url) => CHECKS.test(url)), "fetched to seal the offer");
      assert.ok(eveFetched.some((url) => CHECKS.test(url)), "fetched to open the offer");
      await eve.getByRole("button", { name: "Decline" }).click();
      await phase(adam, "ended");
      assert.deepEqual(scene.errors, []);
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name:
    "a call offer whose checks cannot be fetched is not taken: nothing rings, the conversation goes on, and the next call rings once they can be",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await talkingPair(scene);
      const eveFetched = requests(eve);
      await eve.route(CHECKS, (route) => route.abort());
      await adam.getByTestId("call-audio").click();
      const consent = adam.getByRole("button", { name: "Call directly" });
      await consent.or(panel(adam)).first().waitFor();
      if (await consent.isVisible()) await consent.click();
      await phase(adam, "calling");
      // Eve's page tried, failed, and says the message could not be opened
      // for want of a part of the page (not that it was forged), pausing her
      // sending as for any message it cannot open.
      await eve.getByTestId("problems").filter({ hasText: "part of the page did not load" })
        .waitFor();
      // Said as such, with a way to reload, not as a failed security check.
      const heading = await eve.getByTestId("problems").locator("strong").textContent();
      assert.equal(heading, "Part of the page did not load");
      await eve.getByTestId("problems").getByRole("button", { name: "Reload the page" }).waitFor();
      assert.ok(eveFetched.some((url) => CHECKS.test(url)), eveFetched.join(" "));
      await eve.waitForTimeout(1000);
      assert.equal(await panel(eve).count(), 0, "nothing rings");
      assert.ok(!eveFetched.some((url) => CALL_CODE.test(url)), "no call reached the call code");
      assert.equal(await panel(adam).getAttribute("data-phase"), "calling", "never rang");
      await adam.getByRole("button", { name: "Hang up" }).click();
      await phase(adam, "ended");
      // The session is unharmed: a text still arrives, both ways.
      await send(adam, "after the call");
      await bubble(eve, "after the call").waitFor();
      await eve.getByRole("button", { name: "I understand, resume sending" }).click();
      await send(eve, "still here");
      await bubble(adam, "still here").waitFor();
      // Once the checks can be fetched, the next call payload fetches them again and rings.
      await eve.unroute(CHECKS);
      await adam.getByRole("button", { name: "Close" }).click();
      await placeCall(adam, eve, "audio");
    }, FAKE_MEDIA);
  },
});
