/**
 * Calls in real Chromium with fake camera and microphone, two people in two
 * browser contexts against a real server: audio and video calls connect and
 * carry frames both ways, end on either side, can be declined or missed, and
 * end when the negotiated DTLS fingerprint is not the one sent in the session.
 */
import assert from "node:assert/strict";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { callPair, FAKE_MEDIA, phase, placeCall, waitForMedia } from "./fixtures/calls.ts";
import { withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

Deno.test({
  ...options,
  name:
    "an audio call connects, carries sound both ways sealed frame by frame, and hanging up ends it on both sides",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      await placeCall(adam, eve, "audio");
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(adam, "connected");
      await phase(eve, "connected");
      await waitForMedia(adam, "audio");
      await waitForMedia(eve, "audio");
      for (const page of [adam, eve]) {
        const protection = page.getByTestId("call-protection");
        assert.equal(await protection.getAttribute("data-protection"), "frames");
        assert.match(await protection.innerText(), /each of you sees the other's IP address/);
      }
      assert.match(await adam.getByTestId("call-status").innerText(), /Connected · 00:0\d/);
      await adam.getByRole("button", { name: "Hang up" }).click();
      await phase(adam, "ended");
      await phase(eve, "ended");
      assert.match(await eve.getByTestId("call-status").innerText(), /hung up/);
      // A call that happened leaves no notice; only missed and declined ones do.
      assert.equal(await adam.locator('[data-kind="call"]').count(), 0);
      assert.deepEqual(scene.errors, []);
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name:
    "a video call connects, decodes frames both ways, and the callee hanging up ends it on both sides",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      await placeCall(adam, eve, "video");
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(adam, "connected");
      await phase(eve, "connected");
      await waitForMedia(adam, "video");
      await waitForMedia(eve, "video");
      await waitForMedia(adam, "audio");
      await eve.getByRole("button", { name: "Camera off" }).click();
      await eve.getByRole("button", { name: "Camera on" }).waitFor();
      await eve.getByRole("button", { name: "Mute" }).click();
      await eve.getByRole("button", { name: "Unmute" }).waitFor();
      await eve.getByRole("button", { name: "Hang up" }).click();
      await phase(eve, "ended");
      await phase(adam, "ended");
      assert.match(await adam.getByTestId("call-status").innerText(), /hung up/);
      assert.deepEqual(scene.errors, []);
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name:
    "a declined call ends on both sides and is kept as a declined call in each browser's history",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      await placeCall(adam, eve, "audio");
      await eve.getByRole("button", { name: "Decline" }).click();
      await phase(adam, "ended");
      assert.match(await adam.getByTestId("call-status").innerText(), /declined/);
      await adam.locator('[data-kind="call"]', { hasText: "Declined · Audio call" }).waitFor();
      await eve.locator('[data-kind="call"]', { hasText: "You declined · Audio call" }).waitFor();
      // The callee never opened its microphone or the network for the call.
      assert.equal(
        await eve.evaluate(() => (globalThis as unknown as { __pcs: unknown[] }).__pcs.length),
        0,
      );
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name: "a call nobody answers within the ring time ends as missed on both sides",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      await adam.clock.install();
      await placeCall(adam, eve, "video");
      await adam.clock.fastForward("00:46");
      await phase(adam, "ended");
      assert.match(await adam.getByTestId("call-status").innerText(), /No answer/);
      await phase(eve, "ended");
      await adam.locator('[data-kind="call"]', { hasText: "Not answered · Video call" }).waitFor();
      await eve.locator('[data-kind="call"]', { hasText: "Missed · Video call" }).waitFor();
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name:
    "a call whose negotiated DTLS fingerprint differs from the one sent in the session is ended on both sides",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      // Eve's browser reports another certificate than the one Adam's sealed offer named.
      await eve.evaluate(() => {
        const getStats = RTCPeerConnection.prototype.getStats;
        RTCPeerConnection.prototype.getStats = async function (...args) {
          const report = await getStats.apply(this, args);
          const altered = new Map();
          report.forEach((value: Record<string, unknown>, key: string) => {
            altered.set(
              key,
              value.type === "certificate"
                ? { ...value, fingerprint: "00" + String(value.fingerprint).slice(2) }
                : value,
            );
          });
          return altered as unknown as RTCStatsReport;
        };
      });
      await placeCall(adam, eve, "audio");
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(eve, "ended");
      assert.match(
        await eve.getByTestId("call-status").innerText(),
        /not the one named in the secure session/,
      );
      await phase(adam, "ended");
      assert.match(await adam.getByTestId("call-status").innerText(), /could not be verified/);
    }, FAKE_MEDIA);
  },
});
