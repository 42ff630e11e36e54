/**
 * Calls in real Chromium with fake camera and microphone, two people in two
 * browser contexts against a real server: audio and video calls connect and
 * carry frames both ways, end on either side, can be declined or missed, and
 * end when the negotiated DTLS fingerprint is not the one sent in the session.
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
  withoutScriptTransform,
} from "./fixtures/calls.ts";
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
      // The call code loads only once a call starts or rings.
      const loaded: string[] = [];
      for (const page of [adam, eve]) page.on("request", (r) => loaded.push(r.url()));
      await adam.waitForTimeout(500);
      assert.deepEqual(loaded.filter((url) => url.includes("CallPanel")), []);
      await placeCall(adam, eve, "audio");
      assert.equal(loaded.filter((url) => url.includes("CallPanel")).length, 2, "one load a side");
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
      // Without TURN the callee is told that answering shows its IP address.
      await eve.getByTestId("call-direct-notice").waitFor();
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

Deno.test({
  ...options,
  name:
    "frames sealed with createEncodedStreams under a key other than the one sent in the session are never rendered",
  async fn() {
    await withScene(async (scene) => {
      // Sealed in the page: the worker path has its own test (calls_frames_browser_test.ts).
      const { adam, eve } = await callPair(scene, {
        adam: withoutScriptTransform,
        eve: withoutScriptTransform,
      });
      // Adam counts the frames he seals; Eve opens with a wrong key for Adam's frames.
      await adam.evaluate(() => {
        const encrypt = crypto.subtle.encrypt.bind(crypto.subtle);
        const counter = { sealed: 0 };
        Object.assign(globalThis, { __sealing: counter });
        crypto.subtle.encrypt = (algorithm, key, data) => {
          // Frame keys are the ones that both seal and open.
          if (key.usages.length === 2) counter.sealed++;
          return encrypt(algorithm, key, data);
        };
      });
      await eve.evaluate(() => {
        const importKey = crypto.subtle.importKey.bind(crypto.subtle);
        let frameKeys = 0;
        const subtle = crypto.subtle as unknown as Record<string, unknown>;
        subtle.importKey = (
          format: string,
          data: unknown,
          algorithm: unknown,
          ...rest: unknown[]
        ) => {
          // Eve's own key first, then Adam's: replaced by a random one.
          const usages = rest[1] as string[] | undefined;
          const frameKey = format === "raw" && algorithm === "AES-GCM" && usages?.length === 2;
          if (frameKey && ++frameKeys === 2) {
            data = crypto.getRandomValues(new Uint8Array(32));
          }
          return (importKey as (...args: unknown[]) => unknown)(format, data, algorithm, ...rest);
        };
      });
      await placeCall(adam, eve, "video");
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(adam, "connected");
      await phase(eve, "connected");
      // Eve's frames open at Adam's…
      await waitForMedia(adam, "video");
      await eve.waitForTimeout(3000);
      // …but nothing Adam sealed is decoded at Eve's, though packets arrive.
      const atEve = await received(eve);
      assert.equal(atEve.framesDecoded, 0);
      assert.ok(atEve.audioPackets > 0, "packets arrived");
      assert.equal(atEve.audioEnergy, 0, "no sound was played from them");
      const sealed = await adam.evaluate(() =>
        (globalThis as unknown as { __sealing: { sealed: number } }).__sealing.sealed
      );
      assert.ok(sealed > 50, `Adam sealed his frames (${sealed})`);
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name: "when the other page goes away in a call the call ends clearly on this side",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      await placeCall(adam, eve, "audio");
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(adam, "connected");
      await eve.close({ runBeforeUnload: true });
      await phase(adam, "ended");
      assert.match(
        await adam.getByTestId("call-status").innerText(),
        /hung up|connection was lost/,
      );
    }, FAKE_MEDIA);
  },
});
