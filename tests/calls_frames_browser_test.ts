/**
 * The three ways a call's frames are protected, in real Chromium (which has
 * both encoded-transform APIs; the tests take one or both away):
 * `RTCRtpScriptTransform` with the frames sealed in a worker, Chromium's
 * `createEncodedStreams()` in the page, and DTLS-SRTP alone, which the call
 * panel then says.
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
  withoutScriptTransform,
} from "./fixtures/calls.ts";
import { withScene } from "./fixtures/pages.ts";

const options = {
  ignore: !browserTestsEnabled(),
  sanitizeResources: false,
  sanitizeOps: false,
};

/** The transforms set on the senders and receivers of the page's newest connection. */
function transforms(page: Page) {
  return page.evaluate(() => {
    const pcs = (globalThis as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = pcs[pcs.length - 1];
    const name = (x: unknown) =>
      (x as { transform?: object | null }).transform?.constructor.name ?? "none";
    return [...pc.getSenders().map(name), ...pc.getReceivers().map(name)];
  });
}

/** Connects a video call between the pages and waits for video both ways. */
async function videoCall(adam: Page, eve: Page) {
  await placeCall(adam, eve, "video");
  await eve.getByRole("button", { name: "Accept" }).click();
  await phase(adam, "connected");
  await phase(eve, "connected");
}

Deno.test({
  ...options,
  name:
    "with RTCRtpScriptTransform the frames are sealed in a worker served by the app, and decode both ways",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene);
      assert.equal(await adam.evaluate(() => typeof RTCRtpScriptTransform), "function");
      const workers: string[] = [];
      for (const page of [adam, eve]) page.on("worker", (w) => workers.push(w.url()));
      await videoCall(adam, eve);
      await waitForMedia(adam, "video");
      await waitForMedia(eve, "video");
      await waitForMedia(adam, "audio");
      await waitForMedia(eve, "audio");
      assert.equal(workers.length, 2, "one worker a side");
      for (const url of workers) assert.match(url, /\/call_frames_worker\.js$/);
      for (const page of [adam, eve]) {
        assert.deepEqual(await transforms(page), Array(4).fill("RTCRtpScriptTransform"));
        const protection = page.getByTestId("call-protection");
        assert.equal(await protection.getAttribute("data-protection"), "frames");
      }
      assert.deepEqual(scene.errors, []);
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name:
    "a browser that seals in a worker and one on createEncodedStreams decode each other's audio and video",
  async fn() {
    await withScene(async (scene) => {
      // Adam has both APIs and seals in the worker; Eve has only createEncodedStreams.
      const { adam, eve } = await callPair(scene, { eve: withoutScriptTransform });
      await videoCall(adam, eve);
      for (const page of [adam, eve]) {
        await waitForMedia(page, "video");
        await waitForMedia(page, "audio");
        const protection = page.getByTestId("call-protection");
        assert.equal(await protection.getAttribute("data-protection"), "frames");
      }
      assert.deepEqual(await transforms(adam), Array(4).fill("RTCRtpScriptTransform"));
      assert.deepEqual(await transforms(eve), Array(4).fill("none"));
      // Sealed both ways: each side's frames open at the other, none are dropped there.
      assert.equal(await eve.evaluate(() => typeof RTCRtpScriptTransform), "undefined");
      const atEve = await received(eve);
      const atAdam = await received(adam);
      assert.ok(atEve.framesDecoded > 0 && atAdam.framesDecoded > 0);
      assert.ok(atEve.audioEnergy > 0 && atAdam.audioEnergy > 0);
      assert.deepEqual(scene.errors, []);
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name:
    "frames sealed in the worker under a key other than the one sent in the session are never rendered",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene, {
        // Eve's worker opens Adam's frames with a random key instead of his.
        eve: () => {
          const Original = (globalThis as unknown as {
            RTCRtpScriptTransform: new (...args: unknown[]) => object;
          }).RTCRtpScriptTransform;
          Object.assign(globalThis, {
            RTCRtpScriptTransform: function (
              worker: Worker,
              options: { side: string; key: Uint8Array },
              transfer?: Transferable[],
            ) {
              const key = options.side === "receive"
                ? crypto.getRandomValues(new Uint8Array(32))
                : options.key;
              return new Original(worker, { ...options, key }, transfer);
            },
          });
        },
      });
      await videoCall(adam, eve);
      // Eve's frames open at Adam's…
      await waitForMedia(adam, "video");
      await waitForMedia(adam, "audio");
      await eve.waitForTimeout(3000);
      // …but nothing Adam sealed is decoded at Eve's, though packets arrive.
      const atEve = await received(eve);
      assert.equal(atEve.framesDecoded, 0);
      assert.ok(atEve.audioPackets > 50, `packets arrived (${atEve.audioPackets})`);
      assert.equal(atEve.audioEnergy, 0, "no sound was played from them");
    }, FAKE_MEDIA);
  },
});

Deno.test({
  ...options,
  name:
    "a browser with no encoded transform API calls on DTLS-SRTP alone, and both call panels say so",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await callPair(scene, {
        eve: () => {
          delete (globalThis as { RTCRtpScriptTransform?: unknown }).RTCRtpScriptTransform;
          delete (RTCRtpSender.prototype as { createEncodedStreams?: unknown })
            .createEncodedStreams;
        },
      });
      await videoCall(adam, eve);
      await waitForMedia(adam, "video");
      await waitForMedia(eve, "video");
      for (const page of [adam, eve]) {
        const protection = page.getByTestId("call-protection");
        assert.equal(await protection.getAttribute("data-protection"), "dtls");
        assert.match(await protection.innerText(), /DTLS-SRTP only/);
      }
      // Adam's senders got their transforms before the answer, but never seal:
      // Eve's browser could not open; his receivers get none.
      assert.deepEqual(await transforms(adam), [
        "RTCRtpScriptTransform",
        "RTCRtpScriptTransform",
        "none",
        "none",
      ]);
      assert.deepEqual(scene.errors, []);
    }, FAKE_MEDIA);
  },
});
