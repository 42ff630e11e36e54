/**
 * Liveness in real Chromium: with a short `IDLE_TIMEOUT_MS`, the relay pings
 * each quiet page's socket and the page answers `pong` from its message
 * handler, so a quiet chat stays online on both sides well past several
 * idle periods and still carries messages.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, joinedPair, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

const IDLE_MS = 1000;

/** Counts the pings a page's sockets receive and the pongs they send. */
function watchLiveness(page: Page): { pings: number; pongs: number } {
  const seen = { pings: 0, pongs: 0 };
  page.on("websocket", (socket) => {
    socket.on("framereceived", ({ payload }) => {
      if (payload === '{"type":"ping"}') seen.pings++;
    });
    socket.on("framesent", ({ payload }) => {
      if (payload === '{"type":"pong"}') seen.pongs++;
    });
  });
  return seen;
}

Deno.test({
  name:
    "liveness: a relay pinging a quiet chat gets pongs back from both browsers, which stay online past several idle periods",
  ...options,
  fn: () =>
    withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene);
      const adamSeen = watchLiveness(adam);
      const eveSeen = watchLiveness(eve);
      // The sockets opened before the watch: reload so the new ones are watched.
      await Promise.all([adam.reload(), eve.reload()]);
      const online = '[data-testid="peer-state"][data-state="online"]';
      await adam.locator(online).waitFor();
      await eve.locator(online).waitFor();

      await adam.waitForTimeout(IDLE_MS * 4);
      for (const [who, seen] of [["adam", adamSeen], ["eve", eveSeen]] as const) {
        assert.ok(seen.pings >= 2, `${who} was pinged ${seen.pings} times`);
        assert.ok(seen.pongs >= seen.pings - 1, `${who} answered ${seen.pongs} of ${seen.pings}`);
      }
      assert.equal(await adam.locator(online).count(), 1, "adam still sees eve online");
      assert.equal(await eve.locator(online).count(), 1, "eve still sees adam online");
      await send(adam, "still here");
      await bubble(eve, "still here").waitFor();
      assert.deepEqual(scene.errors, []);
    }, { serverEnv: { IDLE_TIMEOUT_MS: String(IDLE_MS) } }),
});
