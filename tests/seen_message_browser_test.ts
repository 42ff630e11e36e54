/**
 * The inbox's code for a message whose ID was seen before, in real Chromium
 * behind a relay that delivers a message again: the chat page fetches that
 * code only when such a message comes, shows the message once, and a page
 * that cannot fetch the code takes nothing and says part of the page did not
 * load, while the conversation goes on.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { type HostileRelay, startHostileRelay } from "./fixtures/hostile_relay.ts";
import { bubble, createConversation, join, type Scene, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };
// No service worker: it would answer the build's files from its cache, out of sight of routing.
const NO_WORKER = { serviceWorkers: "block" } as const;
const SEEN_CODE = /\/_islands\/[0-9a-f]{16}\/seen_message-[0-9A-Z]+\.js$/;

/** Records the URLs `page` requests. */
function requests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(new URL(request.url()).pathname));
  return urls;
}

/**
 * Adam and Eve joined through `relay`; Adam's first text reaches Eve, and
 * the returned function makes the relay deliver it to her again.
 */
async function pairWithReplay(scene: Scene, relay: HostileRelay) {
  const adam = await scene.newPage(NO_WORKER);
  const eve = await scene.newPage(NO_WORKER);
  await join(adam, eve, await createConversation(adam, relay.base));
  await eve.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
  // Every message frame the relay delivers, by ID, with the way back to its client.
  const delivered = new Map<string, () => void>();
  relay.frameAttack = (ctx) => {
    if (ctx.direction === "toClient" && ctx.frame.type === "message") {
      const text = JSON.stringify(ctx.frame);
      delivered.set(ctx.frame.id as string, () => ctx.toClient(text));
    }
    return undefined;
  };
  await send(adam, "say it once");
  await bubble(eve, "say it once").waitFor();
  const id = await eve.locator("li.message.in", { hasText: "say it once" }).getAttribute("data-id");
  const replay = delivered.get(id ?? "");
  assert.ok(replay !== undefined, `the relay delivered message ${id}`);
  return { adam, eve, replay };
}

Deno.test({
  ...options,
  name:
    "in Chromium, a message the relay delivers again is shown once, and the code for seen IDs is fetched only then",
  async fn() {
    await withScene(async (scene) => {
      await using relay = await startHostileRelay(scene.server.base);
      const { adam, eve, replay } = await pairWithReplay(scene, relay);
      const fetched = requests(eve);
      const loaded = await eve.evaluate(() =>
        performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname)
      );
      assert.ok(!loaded.some((url) => SEEN_CODE.test(url)), loaded.join(" "));
      replay();
      await eve.waitForEvent("requestfinished", (request) => SEEN_CODE.test(request.url()));
      await send(adam, "and this once too");
      await bubble(eve, "and this once too").waitFor();
      assert.equal(await bubble(eve, "say it once").count(), 1);
      assert.equal(await eve.getByTestId("problems").count(), 0);
      assert.ok(fetched.some((url) => SEEN_CODE.test(url)), fetched.join(" "));
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  ...options,
  name:
    "in Chromium, when the code for seen IDs cannot be fetched, a message delivered again is not taken twice, a problem says part of the page did not load, and the conversation goes on",
  async fn() {
    await withScene(async (scene) => {
      await using relay = await startHostileRelay(scene.server.base);
      const { adam, eve, replay } = await pairWithReplay(scene, relay);
      await eve.route(SEEN_CODE, (route) => route.abort());
      replay();
      await eve.getByTestId("problems").filter({ hasText: "part of the page did not load" })
        .waitFor();
      assert.equal(await bubble(eve, "say it once").count(), 1);
      await send(adam, "after the replay");
      await bubble(eve, "after the replay").waitFor();
      await eve.getByRole("button", { name: "I understand, resume sending" }).click();
      await send(eve, "still here");
      await bubble(adam, "still here").waitFor();
    });
  },
});
