/**
 * A call that loses its network comes back by an ICE restart negotiated
 * inside the session, or ends with why.
 *
 * The interruption: the calls are relayed through a real coturn on loopback,
 * and the test kills it mid-call, then starts a new one on the same port.
 * That is what breaks ICE here: with relayed candidates only, the TURN server
 * is the one thing on the media path outside the two browsers. (Playwright's
 * `context.setOffline()` is DevTools network emulation, meant for HTTP and
 * WebSockets rather than WebRTC's UDP sockets; it would also cut the
 * signalling socket the restart needs. It was not used.) A killed TURN server
 * takes every allocation with it, so the old candidate pair can never come
 * back on its own: only a restart, with new relayed candidates, brings the
 * call back, which the changed ICE username fragments show.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  callPair,
  FAKE_MEDIA,
  phase,
  placeCall,
  received,
  waitForMedia,
} from "./fixtures/calls.ts";
import { startCoturn, turnTestsEnabled } from "./fixtures/coturn.ts";
import { withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled() && turnTestsEnabled();
const SECRET = "turn-test-secret-0123456789";

/** The ICE username fragment the page's newest connection uses now. */
function ufrag(page: Page): Promise<string> {
  return page.evaluate(() => {
    const pcs = (globalThis as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    return /a=ice-ufrag:(\S+)/.exec(pcs[pcs.length - 1].localDescription?.sdp ?? "")?.[1] ?? "";
  });
}

/** Waits until `page` has decoded `more` video frames beyond `from`. */
async function framesGrow(page: Page, from: number, more: number) {
  const deadline = Date.now() + 30_000;
  let now = from;
  while (Date.now() < deadline) {
    now = (await received(page)).framesDecoded;
    if (now >= from + more) return now;
    await page.waitForTimeout(250);
  }
  throw new Error(`frames stopped at ${now} (from ${from})`);
}

Deno.test({
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  name:
    "a call whose network drops mid-call shows reconnecting, restarts ICE inside the session and carries frames again",
  async fn() {
    await using first = await startCoturn(SECRET);
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      await placeCall(adam, eve, "video");
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(adam, "connected");
      await phase(eve, "connected");
      await waitForMedia(adam, "video");
      await waitForMedia(eve, "video");
      const ufrags = [await ufrag(adam), await ufrag(eve)];

      // The network goes away: the TURN server and its allocations are gone.
      await first.kill();
      await phase(adam, "reconnecting");
      await phase(eve, "reconnecting");
      assert.match(await adam.getByTestId("call-status").innerText(), /Reconnecting/);
      const frozen = [(await received(adam)).framesDecoded, (await received(eve)).framesDecoded];
      await adam.waitForTimeout(2000);

      // …and comes back.
      await using _second = await startCoturn(SECRET, first.port);
      await phase(adam, "connected");
      await phase(eve, "connected");
      await framesGrow(adam, frozen[0], 30);
      await framesGrow(eve, frozen[1], 30);
      assert.notEqual(await ufrag(adam), ufrags[0], "the caller restarted ICE");
      assert.notEqual(await ufrag(eve), ufrags[1], "the callee answered the restart");
      for (const page of [adam, eve]) {
        const route = await received(page);
        assert.deepEqual([route.local, route.remote], ["relay", "relay"]);
        // The timer kept counting from the first connection.
        assert.match(await page.getByTestId("call-status").innerText(), /Connected · 00:[1-5]\d/);
      }
      await adam.getByRole("button", { name: "Hang up" }).click();
      await phase(eve, "ended");
      assert.deepEqual(scene.errors, []);
    }, { ...FAKE_MEDIA, serverEnv: { TURN_URLS: first.url, TURN_SECRET: SECRET } });
  },
});
