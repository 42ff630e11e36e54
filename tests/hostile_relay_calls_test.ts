/**
 * A hostile relay against call signalling: offers, answers and candidates
 * travel sealed in the session, so a relay that alters, replays, reflects or
 * injects them cannot make either side ring, or accept a call it did not
 * place. Real server, real sockets, the real client, a relay in between.
 * In Chromium, with real calls: a relay that drops the answer or the ICE
 * candidates cannot make either side show a call as connected; each side
 * ends it within its bound, saying why.
 */
import "../lib/i18n/use_english.ts";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { decodeBase64Url, encodeBase64Url } from "../lib/crypto/encoding.ts";
import type { CallPayload } from "../lib/crypto/payload_call.ts";
import type { CallSignal } from "../lib/client/calls.ts";
import { type HostileRelay, startHostileRelay } from "./fixtures/hostile_relay.ts";
import { type Peer, securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { FAKE_MEDIA, phase, placeCall, trackConnections } from "./fixtures/calls.ts";
import { createConversation, join, reload, withScene } from "./fixtures/pages.ts";

const OTHER_ULID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
const CALL = encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
const KEY = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
const SDP = [
  "v=0",
  "o=- 1 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "a=fingerprint:sha-256 " + Array(32).fill("AB").join(":"),
  "",
].join("\r\n");
const OFFER: CallSignal = {
  type: "call-offer",
  call: CALL,
  media: "audio",
  sdp: SDP,
  key: KEY,
  frames: true,
};

async function withPair(
  fn: (relay: HostileRelay, pair: Awaited<ReturnType<typeof securePair>>) => Promise<void>,
) {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  await fn(relay, pair);
}

/** Listens for call payloads on `peer`, as the call panel does once loaded. */
async function listen(peer: Peer): Promise<CallPayload[]> {
  const heard: CallPayload[] = [];
  (await peer.client!.calls.load()).listen((payload) => heard.push(payload));
  return heard;
}

function flipBit(body: string, index: number): string {
  const bytes = decodeBase64Url(body);
  bytes[index % bytes.length] ^= 0x01;
  return encodeBase64Url(bytes);
}

async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

Deno.test("a call offer sealed in the session rings the peer, and the ring comes back to the caller", async () => {
  await withPair(async (relay, { adam, eve }) => {
    const adamHeard = await listen(adam);
    assert.equal(adam.client!.calls.whyNot(), null, "a call may start: online, secure, unpaused");
    assert.ok(await (await adam.client!.calls.load()).send(OFFER));
    await waitFor(() => eve.client!.view.callRinging === "audio", "the offer ringing at Eve");
    await waitFor(() => adamHeard.some((p) => p.type === "call-ring"), "the ring at Adam");
    // Only sealed bodies crossed the relay: no SDP, no key, no call ID in the clear.
    const wire = JSON.stringify(relay.log);
    for (const secret of [KEY, CALL, "fingerprint", "call-offer"]) {
      assert.ok(!wire.includes(secret), `the relay never saw ${secret}`);
    }
    // Eve's panel takes the offer over, with the same SDP and key.
    const { incoming } = (await eve.client!.calls.load()).listen(() => {});
    assert.equal(incoming?.offer.sdp, SDP);
    assert.equal(incoming?.offer.key, KEY);
  });
});

Deno.test("a call offer replayed by the relay rings once and the replay is refused", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    let captured: Record<string, unknown> | null = null;
    relay.frameAttack = (ctx) => {
      if (
        ctx.direction === "toClient" && ctx.frame.type === "message" && ctx.frame.from === ids.adam
      ) captured ??= ctx.frame;
      return undefined;
    };
    const eveHeard = await listen(eve);
    await (await adam.client!.calls.load()).send(OFFER);
    await waitFor(() => eveHeard.length === 1, "the offer at Eve");
    relay.frameAttack = null;
    // The same frame again, then under a new ID: neither rings a second time.
    for (const frame of [captured!, { ...captured!, id: OTHER_ULID }]) {
      relay.broadcast(JSON.stringify(frame));
      await settle();
    }
    assert.equal(eveHeard.length, 1, "the offer was heard once");
    await waitFor(() => eve.client!.view.problems.length > 0, "a warning for the replay");
  });
});

Deno.test("a call offer altered or forged by the relay never rings", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    const eveHeard = await listen(eve);
    // Altered: one bit of the sealed offer flipped on the way.
    relay.frameAttack = (ctx) => {
      if (ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
      if (ctx.frame.from !== ids.adam) return;
      return [{ ...ctx.frame, body: flipBit(ctx.frame.body as string, 80) }];
    };
    await (await adam.client!.calls.load()).send(OFFER);
    await waitFor(() => eve.client!.view.problems.length > 0, "a warning for the altered offer");
    relay.frameAttack = null;
    // Forged: a body the relay made up, claimed to be from Adam.
    const forged = encodeBase64Url(crypto.getRandomValues(new Uint8Array(400)));
    relay.broadcast(
      JSON.stringify({ type: "message", id: OTHER_ULID, from: ids.adam, body: forged }),
    );
    await settle();
    assert.deepEqual(eveHeard, [], "nothing the relay touched reached the call code");
    assert.equal(eve.client!.view.callRinging, null);
  });
});

Deno.test("a call offer reflected back to its sender is refused and never rings there", async () => {
  await withPair(async (relay, { adam, ids }) => {
    const adamHeard = await listen(adam);
    relay.frameAttack = (ctx) => {
      if (ctx.direction !== "toServer" || ctx.frame.type !== "send") return;
      // Back to the caller as if the callee had sent it.
      ctx.toClient(JSON.stringify({
        type: "message",
        id: ctx.frame.id,
        from: ids.eve,
        body: ctx.frame.body,
      }));
      return [];
    };
    await (await adam.client!.calls.load()).send(OFFER);
    await waitFor(() => adam.client!.view.problems.length > 0, "a warning for the reflection");
    assert.deepEqual(adamHeard, []);
  });
});

Deno.test("no call may start while the other person is offline", async () => {
  await withPair(async (_relay, { adam, eve }) => {
    eve.stop();
    await waitFor(() => adam.client!.view.peer === "offline", "Eve offline");
    assert.match(adam.client!.calls.whyNot() ?? "", /online/);
    assert.equal(adam.client!.view.callBlocked, adam.client!.calls.whyNot());
    assert.equal(await (await adam.client!.calls.load()).send(OFFER), false, "nothing is sent");
  });
});

Deno.test("a call cancelled before anyone answered is kept as missed in the callee's browser only", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const { adam, eve } = pair;
  const adamHeard = await listen(adam);
  await (await adam.client!.calls.load()).send(OFFER);
  await waitFor(() => eve.client!.view.callRinging === "audio", "the offer ringing at Eve");
  // A second offer while the first rings is answered busy.
  const second = encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  await (await adam.client!.calls.load()).send({ ...OFFER, call: second });
  await waitFor(
    () => adamHeard.some((p) => p.type === "call-end" && p.call === second && p.reason === "busy"),
    "busy for the second offer",
  );
  const sentByEve = () =>
    relay.log.filter((l) => l.direction === "toServer" && l.frame.type === "send").length;
  await (await adam.client!.calls.load()).send({
    type: "call-end",
    call: CALL,
    reason: "cancelled",
  });
  await waitFor(() => eve.client!.view.callRinging === null, "the ringing to stop");
  await waitFor(
    () => eve.client!.view.messages.some((m) => m.kind === "call"),
    "a missed-call notice",
  );
  const notice = eve.client!.view.messages.find((m) => m.kind === "call")!;
  assert.equal(notice.text, "Missed · Audio call");
  const before = sentByEve();
  await settle();
  assert.equal(sentByEve(), before, "the notice is never sent anywhere");
  assert.ok(!JSON.stringify(relay.log).includes(notice.id), "its ID never crossed the relay");
  assert.equal(adam.client!.view.messages.some((m) => m.kind === "call"), false);
});

// In the browser: a relay that drops call signalling cannot make a call look connected.

const browserOptions = {
  ignore: !browserTestsEnabled(),
  sanitizeResources: false,
  sanitizeOps: false,
};

/**
 * Adam and Eve in Chromium with fake devices, both pages served through a
 * hostile relay; `run` gets the relay and the two pages, which record every
 * phase their call panel showed in `__phases`.
 */
async function withCallRelay(
  run: (relay: HostileRelay, pages: { adam: Page; eve: Page }) => Promise<void>,
) {
  await withScene(async (scene) => {
    await using relay = await startHostileRelay(scene.server.base);
    const adam = await scene.newPage();
    const eve = await scene.newPage();
    await join(adam, eve, await createConversation(adam, relay.base));
    // The session is up before either page reloads (see `reloadOnline`).
    for (const page of [adam, eve]) await online(page).waitFor();
    for (const [name, page] of [["Adam", adam], ["Eve", eve]] as const) {
      await page.addInitScript(trackConnections);
      await page.addInitScript(() => {
        const phases: string[] = [];
        Object.assign(globalThis, { __phases: phases });
        new MutationObserver(() => {
          const phase = document.querySelector("[data-testid=call-panel]")?.getAttribute(
            "data-phase",
          );
          if (phase && phases.at(-1) !== phase) phases.push(phase);
        }).observe(document, { subtree: true, childList: true, attributes: true });
      });
      await reloadOnline(name, page);
      // The bounds of ringing and connecting are run through by the test's clock.
      await page.clock.install();
    }
    await run(relay, { adam, eve });
    assert.deepEqual(scene.errors, []);
  }, FAKE_MEDIA);
}

/** The header's "Online": the peer is there and the secure session is up. */
function online(page: Page) {
  return page.locator('[data-testid="peer-state"]', { hasText: /^Online$/ });
}

/**
 * Reloads `page` and waits until it shows the peer online over a secure
 * session; if it does not, says what it shows. A creator's page reloaded in
 * the instant between storing the joiner's first message and saving the
 * session it sets up stays "setting up encryption" (the resent message is
 * taken for a duplicate), so the setup reloads only once the session is up.
 */
async function reloadOnline(name: string, page: Page): Promise<void> {
  await reload(page);
  const error = await online(page).waitFor().then(() => null, (e) => e);
  if (error === null) return;
  const shown = await page.locator("main").innerText().catch(() => "(no main)");
  throw new Error(`${name} not online after a reload; the page shows: ${shown}`);
}

/** Every phase `page`'s call panel showed. */
function phasesSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __phases: string[] }).__phases);
}

/**
 * An attack on the sealed frames of one call: `pass(from, nth, accepted)`
 * decides on each frame Adam or Eve sends from the offer on. The relay
 * cannot read them; it knows who sends, in what order, and how long each
 * is. Receipts and rings are padded to the smallest size, so `nth` counts
 * only larger frames (offer, answer, candidates), from 1, and is 0 for a
 * small one; Eve's count starts again when she accepts.
 */
function dropSignalling(
  relay: HostileRelay,
  pass: (from: "adam" | "eve", nth: number, accepted: boolean) => boolean,
) {
  // The setup's receipts are the smallest sealed frames there are.
  const smallest = Math.min(
    ...relay.log.filter((l) => l.frame.type === "send").map((l) => String(l.frame.body).length),
  );
  assert.ok(smallest < 1000, `a receipt seals to ${smallest} characters`);
  let eveId: string | null = null;
  const count = { adam: 0, eve: 0 };
  const state = { accepted: false };
  relay.frameAttack = (ctx) => {
    if (ctx.direction !== "toServer" || ctx.frame.type !== "send") return;
    // The first frame after Adam pressed call is his offer, to Eve.
    eveId ??= ctx.frame.to as string;
    const from = ctx.frame.to === eveId ? "adam" : "eve";
    const small = String(ctx.frame.body).length <= smallest;
    return pass(from, small ? 0 : ++count[from], state.accepted) ? undefined : [];
  };
  return {
    accepted() {
      state.accepted = true;
      count.eve = 0;
    },
  };
}

/**
 * Waits until `page`'s call shows how it is protected: set in the same step
 * that starts the bound on connecting, so the test's clock may now run past it.
 */
function connectBoundSet(page: Page): Promise<void> {
  return page.getByTestId("call-protection").waitFor({ timeout: 45_000 });
}

Deno.test({
  ...browserOptions,
  name:
    "a relay that drops the callee's answer cannot make either side believe the call connected: the caller ends with no answer",
  async fn() {
    await withCallRelay(async (relay, { adam, eve }) => {
      const attack = dropSignalling(relay, (from, _nth, accepted) => from === "adam" || !accepted);
      await placeCall(adam, eve, "audio");
      attack.accepted();
      await eve.getByRole("button", { name: "Accept" }).click();
      await phase(eve, "connecting");
      await connectBoundSet(eve);
      await adam.waitForTimeout(4000);
      assert.equal(
        await adam.locator("[data-testid=call-panel]").getAttribute("data-phase"),
        "ringing",
      );
      // The caller's bound is the ring time, the callee's the connect time.
      await adam.clock.fastForward("00:46");
      await eve.clock.fastForward("00:31");
      await phase(adam, "ended");
      await phase(eve, "ended");
      assert.match(await adam.getByTestId("call-status").innerText(), /No answer/);
      assert.match(await eve.getByTestId("call-status").innerText(), /could not be connected/);
      for (const page of [adam, eve]) {
        assert.ok(!(await phasesSeen(page)).includes("connected"), "never shown connected");
      }
    });
  },
});

Deno.test({
  ...browserOptions,
  name:
    "a relay that drops the ICE candidates cannot make either side believe the call connected: both end as could not connect",
  async fn() {
    await withCallRelay(async (relay, { adam, eve }) => {
      // Only the offer, the answer and small frames (the ring, receipts) get through.
      const attack = dropSignalling(relay, (_from, nth) => nth <= 1);
      await placeCall(adam, eve, "video");
      attack.accepted();
      await eve.getByRole("button", { name: "Accept" }).click();
      for (const page of [adam, eve]) {
        await phase(page, "connecting");
        await connectBoundSet(page);
      }
      await adam.waitForTimeout(4000);
      for (const page of [adam, eve]) {
        const state = await page.evaluate(() => {
          const pcs = (globalThis as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
          return pcs[pcs.length - 1].connectionState;
        });
        assert.notEqual(state, "connected", "no path without candidates");
      }
      await adam.clock.fastForward("00:31");
      await eve.clock.fastForward("00:31");
      await phase(adam, "ended");
      await phase(eve, "ended");
      for (const page of [adam, eve]) {
        assert.match(await page.getByTestId("call-status").innerText(), /could not be connected/);
        assert.ok(!(await phasesSeen(page)).includes("connected"), "never shown connected");
      }
    });
  },
});
