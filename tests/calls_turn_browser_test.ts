/**
 * Calls through a real TURN server (coturn on loopback, use-auth-secret):
 * with TURN configured the chat page uses relayed candidates only, so the
 * selected pair is `relay` on both sides and neither browser learns the
 * other's address; the call still carries frames, sealed end to end.
 */
import assert from "node:assert/strict";
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

Deno.test({
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  name:
    "with TURN configured a video call is relayed only: the selected pair is relay on both sides and frames arrive",
  async fn() {
    await using turn = await startCoturn("turn-test-secret-0123456789");
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      await placeCall(adam, eve, "video");
      // No question about IP addresses: TURN hides them.
      assert.equal(await adam.getByTestId("call-consent").count(), 0);
      assert.equal(await eve.getByTestId("call-direct-notice").count(), 0);
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(adam, "connected");
      await phase(eve, "connected");
      await waitForMedia(adam, "video");
      await waitForMedia(eve, "video");
      for (const page of [adam, eve]) {
        const route = await received(page);
        assert.deepEqual([route.local, route.remote], ["relay", "relay"]);
        const config = await page.evaluate(() => {
          const pcs = (globalThis as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
          return pcs[pcs.length - 1].getConfiguration().iceTransportPolicy;
        });
        assert.equal(config, "relay");
        assert.match(await page.getByTestId("call-protection").innerText(), /Relayed through TURN/);
      }
      await adam.getByRole("button", { name: "Hang up" }).click();
      await phase(eve, "ended");
    }, {
      ...FAKE_MEDIA,
      serverEnv: { TURN_URLS: turn.url, TURN_SECRET: turn.secret },
    });
  },
});
