/**
 * The session reset over a real server: a session broken on purpose (one
 * side's stored state rolled back, so each side refuses the other's
 * messages) is reset from either side, and a hostile relay cannot forge,
 * replay or move a reset offer.
 */
import assert from "node:assert/strict";
import type { StoredConversation } from "../lib/client/storage.ts";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { generatePrekeys } from "../lib/crypto/prekeys.ts";
import { encodeResetOffer, signResetOffer } from "../lib/crypto/reset_offer.ts";
import { isResetOfferBody } from "../lib/crypto/reset_offer_prefix.ts";
import { type HostileRelay, startHostileRelay } from "./fixtures/hostile_relay.ts";
import { type Peer, securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

/** IDs no one holds: conversations, participants, frames. */
const OTHER_IDS = [
  "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
  "01JD3Q8Z5W0000000000000003",
  "01JD3Q8Z5V4T6N2M8K0P9R7S20",
  "01JD3Q8Z5V4T6N2M8K0P9R7S21",
  "01JD3Q8Z5V4T6N2M8K0P9R7S22",
  "01JD3Q8Z5V4T6N2M8K0P9R7S23",
  "01JD3Q8Z5V4T6N2M8K0P9R7S24",
  "01JD3Q8Z5V4T6N2M8K0P9R7S25",
];

async function stored(peer: Peer): Promise<StoredConversation> {
  return (await peer.storage.getConversation(peer.conversationId))!;
}

/** Sends `text` from `from` and waits until `to` shows it and its receipt is back. */
async function say(from: Peer, to: Peer, text: string): Promise<void> {
  const message = await from.client!.send(text);
  await waitFor(() => to.texts().includes(text), `"${text}" at the other side`, 10_000);
  await waitFor(
    () => from.client!.view.messages.find((m) => m.id === message.id)?.status === "delivered",
    `the receipt for "${text}"`,
  );
}

/** A fresh safety number, from a client opened again (the open one caches it). */
async function freshSafetyNumber(peer: Peer): Promise<string> {
  peer.stop();
  await peer.start();
  return (await peer.client!.safetyNumber())!;
}

/**
 * Breaks the session of `adam` and `eve` for good: Eve's stored state goes
 * back to before a full round trip, so her ratchet keys are ones Adam has
 * moved past, and his are ones her restored state never knew.
 */
async function breakSession(adam: Peer, eve: Peer): Promise<void> {
  const snapshot = structuredClone(await stored(eve));
  await say(adam, eve, "one");
  await say(eve, adam, "two");
  await say(adam, eve, "three");
  eve.stop();
  await eve.storage.putConversation(snapshot);
  await eve.start();
  await waitFor(() => adam.client!.view.peer === "online", "Eve back online");
  await eve.client!.send("four");
  await waitFor(() => adam.client!.view.problems.length > 0, "Adam refusing Eve's message");
  // Adam's sending is paused behind the warning; he reads it and writes.
  adam.client!.acknowledgeProblems();
  await adam.client!.send("five");
  await waitFor(() => eve.client!.view.problems.length > 0, "Eve refusing Adam's message");
  assert.ok(!adam.texts().includes("four"), "the broken session shows nothing");
  assert.ok(!eve.texts().includes("five"));
}

for (const starter of ["adam", "eve"] as const) {
  Deno.test(`session reset started by ${starter}: a broken session works again both ways, the safety number stays, nothing is shown twice`, async () => {
    await using server = await startTestServer();
    using pair = await securePair(server.base);
    const { adam, eve } = pair;
    const safetyNumber = (await adam.client!.safetyNumber())!;
    assert.equal(await eve.client!.safetyNumber(), safetyNumber);
    await breakSession(adam, eve);
    // The broken session offers the reset where the warning shows.
    assert.equal(adam.client!.view.canReset, true);
    assert.equal(eve.client!.view.canReset, true);

    const [first, other] = starter === "adam" ? [adam, eve] : [eve, adam];
    await first.client!.resetSession();
    assert.deepEqual(first.client!.view.problems, [], "the reset answers the warning");
    const generation = first.client!.conversation.reset!.generation;
    await waitFor(
      async () =>
        (await stored(adam)).generation === generation &&
        (await stored(eve)).generation === generation &&
        adam.client!.view.secure && eve.client!.view.secure,
      "the new session on both sides",
      10_000,
    );
    // The other person reads the warning and resumes.
    other.client!.acknowledgeProblems();
    const all = ["one", "two", "three", "four", "five"];
    await waitFor(
      () => all.every((t) => adam.texts().includes(t) && eve.texts().includes(t)),
      "what the broken session held, sealed again",
      10_000,
    );
    await say(adam, eve, "six");
    await say(eve, adam, "seven");
    for (const peer of [adam, eve]) {
      const view = peer.client!.view;
      assert.deepEqual(peer.texts(), [...all, "six", "seven"], "each once, in order");
      assert.equal(new Set(view.messages.map((m) => m.id)).size, view.messages.length);
      assert.deepEqual(view.problems, []);
      assert.equal(view.resetting, false);
      const notices = view.messages.filter((m) => m.kind === "reset");
      assert.equal(notices.length, 1, "one notice line");
      assert.equal(notices[0].direction, peer === first ? "out" : "in");
      const conversation = await stored(peer);
      assert.equal(conversation.reset ?? null, null, "no private prekey half is left");
      assert.equal(conversation.handshake, null);
    }
    await waitFor(
      () =>
        [adam, eve].every((peer) =>
          peer.client!.view.messages.every((m) =>
            m.direction === "in" || m.status === "delivered" || m.status === "read"
          )
        ),
      "every message acknowledged",
    );
    assert.equal(await freshSafetyNumber(adam), safetyNumber);
    assert.equal(await freshSafetyNumber(eve), safetyNumber);
  });
}

/**
 * Taps a relay: learns the way to each client from the messages it passes
 * (keyed by their sender: the way to whoever receives from that person),
 * and keeps every reset offer it passes.
 */
function tap(relay: HostileRelay) {
  const toReceiverOf = new Map<string, (text: string) => void>();
  const offers: Record<string, unknown>[] = [];
  relay.frameAttack = (ctx) => {
    if (ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
    toReceiverOf.set(ctx.frame.from as string, ctx.toClient);
    const isNew = !offers.some((offer) => offer.id === ctx.frame.id);
    if (isResetOfferBody(ctx.frame.body as string) && isNew) offers.push(ctx.frame);
  };
  return {
    offers,
    /** Sends a frame, as from `from`, to the other person only. */
    inject(from: string, frame: Record<string, unknown>) {
      toReceiverOf.get(from)!(JSON.stringify({ type: "message", from, ...frame }));
    },
  };
}

/** What must not change when an offer is refused: the session and the history. */
async function snapshotOf(peer: Peer) {
  const conversation = await stored(peer);
  return {
    ratchet: conversation.ratchet,
    generation: conversation.generation ?? 0,
    handshake: conversation.handshake,
    messages: (await peer.storage.listMessages(peer.conversationId)).map((m) => m.id),
  };
}

function warned(peer: Peer): boolean {
  return peer.client!.view.problems.some((p) => /reset offer failed verification/.test(p.message));
}

Deno.test("session reset: a forged offer (a stranger's signature, another conversation or recipient) is refused and changes nothing", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const { adam, eve, ids } = pair;
  const relayTap = tap(relay);
  await say(adam, eve, "the relay learns the way to Eve");
  const before = await snapshotOf(eve);
  const prekeys = await generatePrekeys();
  const fields = { generation: 1, spk: prekeys.spk.publicKey, pqspk: prekeys.pq.publicKey };
  const parties = { conversationId: adam.conversationId, from: ids.adam, to: ids.eve };
  const adamKey = (await stored(adam)).signing.privateKey;
  const stranger = await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
  // Each is signed for the ID it comes under: it fails for its own flaw.
  const forgeries = [
    await signResetOffer(
      (stranger as CryptoKeyPair).privateKey,
      { ...parties, noticeId: OTHER_IDS[2] },
      fields,
    ),
    await signResetOffer(
      adamKey,
      { ...parties, conversationId: OTHER_IDS[0], noticeId: OTHER_IDS[3] },
      fields,
    ),
    await signResetOffer(adamKey, { ...parties, to: OTHER_IDS[1], noticeId: OTHER_IDS[4] }, fields),
  ];
  for (const [i, forged] of forgeries.entries()) {
    eve.client!.acknowledgeProblems();
    const body = encodeBase64Url(encodeResetOffer(forged));
    relayTap.inject(ids.adam, { id: OTHER_IDS[2 + i], body });
    await waitFor(() => warned(eve), `a warning for forgery ${i}`);
    assert.deepEqual(await snapshotOf(eve), before, `forgery ${i} changed nothing`);
  }
  eve.client!.acknowledgeProblems();
  await say(adam, eve, "the session is untouched");
  await say(eve, adam, "both ways");
});

Deno.test("session reset: an offer replayed (an older generation, or into another conversation) is refused and changes nothing", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using first = await securePair(relay.base);
  using second = await securePair(relay.base);
  const relayTap = tap(relay);
  const { adam, eve, ids } = first;
  await say(second.adam, second.eve, "the relay learns the way to the other Eve");
  // Two genuine resets, the second of a higher generation.
  for (const round of [1, 2]) {
    await adam.client!.resetSession();
    const generation = adam.client!.conversation.reset!.generation;
    await waitFor(
      async () => (await stored(eve)).generation === generation && adam.client!.view.secure,
      `reset ${round} done`,
      10_000,
    );
    await say(adam, eve, `after reset ${round}`);
  }
  const [older, current] = relayTap.offers;
  assert.equal(relayTap.offers.length, 2);
  const before = await snapshotOf(eve);
  // The older offer again, under its own ID (an old notice, acknowledged
  // again) and under a new one; the current one under a new ID: relabelled,
  // they fail verification (the notice ID is signed), and change nothing.
  relayTap.inject(ids.adam, { id: older.id, body: older.body });
  relayTap.inject(ids.adam, { id: OTHER_IDS[5], body: older.body });
  relayTap.inject(ids.adam, { id: OTHER_IDS[6], body: current.body });
  await say(adam, eve, "after the replays");
  assert.deepEqual(await snapshotOf(eve), {
    ...before,
    ratchet: (await stored(eve)).ratchet,
    messages: [...before.messages, eve.client!.view.messages.at(-1)!.id],
  }, "the replays changed nothing but the message after them");
  assert.ok(warned(eve), "the relabelled offers are a warning");
  assert.ok(
    eve.client!.view.problems.every((p) => /reset offer failed verification/.test(p.message)),
    "and nothing else",
  );
  eve.client!.acknowledgeProblems();
  assert.equal(eve.client!.view.messages.filter((m) => m.kind === "reset").length, 2);
  // Adam's genuine offer, moved into the second conversation as from its Adam.
  const secondBefore = await snapshotOf(second.eve);
  relayTap.inject(second.ids.adam, { id: OTHER_IDS[7], body: current.body });
  await waitFor(() => warned(second.eve), "a warning in the other conversation");
  assert.deepEqual(await snapshotOf(second.eve), secondBefore);
  await say(eve, adam, "still one session, both ways");
  second.eve.client!.acknowledgeProblems();
  await say(second.adam, second.eve, "the other conversation too");
});
