import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { converse, deliver, FAST, type Side } from "../../tests/fixtures/reset_sides.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";
import { isResetOfferBody } from "../crypto/reset_offer_prefix.ts";

const texts = (s: Side) => s.parts.state.messages.map((m) => m.text).filter((t) => t !== "");

Deno.test("a relay that relabels a reset offer with a dropped message's ID gets a warning, not a receipt: the message stays unacknowledged and is shown once the genuine offer passes", async () => {
  const pair = await makeStoredPair({ session: true });
  await using joinerParts = new ClientParts(pair.joiner, { sendRate: FAST });
  await using creatorParts = new ClientParts(pair.creator, { sendRate: FAST });
  const joiner: Side = { parts: joinerParts, socket: await joinerParts.online(), passed: 0 };
  const creator: Side = { parts: creatorParts, socket: await creatorParts.online(), passed: 0 };
  await converse(joiner, creator);
  // The joiner writes T; the relay keeps it from the creator.
  const tId = joiner.parts.state.ulid();
  const text = "pay 10 EUR to the landlord";
  await joiner.parts.outbox.write({ kind: "text", text }, tId);
  await joiner.parts.settle();
  joiner.passed = joiner.socket.sends().length;
  // The joiner resets; the relay delivers the offer under T's ID instead.
  await joiner.parts.reset.start();
  await joiner.parts.settle();
  const frames = joiner.socket.sends().slice(joiner.passed);
  joiner.passed += frames.length;
  const offer = frames.find((f) => isResetOfferBody(f.body));
  assert.ok(offer, "the offer went out");
  await deliver(joiner, creator, tId, offer.body);
  await converse(joiner, creator);
  assert.deepEqual(creator.parts.state.problems.map((p) => p.message), [
    "A session reset offer failed verification; refused",
  ]);
  assert.equal(creator.parts.state.find(tId), undefined, "nothing is stored under T's ID");
  assert.equal(joiner.parts.state.find(tId)?.status, "sent", "T is not delivered");
  // The offer comes again under its own ID (a resend): the reset goes
  // through and T, sealed again under the new session, arrives.
  creator.parts.state.acknowledgeProblems();
  await deliver(joiner, creator, offer.id, offer.body);
  await converse(joiner, creator);
  assert.deepEqual(creator.parts.state.problems, []);
  assert.ok(texts(creator).includes(text), "T is shown");
  assert.equal(joiner.parts.state.find(tId)?.status, "delivered");
});

Deno.test("a relay that relabels a reset offer with a dropped timer change's ID gets a warning: the change stays unacknowledged and applies on the other side once the genuine offer passes", async () => {
  const pair = await makeStoredPair({ session: true });
  await using joinerParts = new ClientParts(pair.joiner, { sendRate: FAST });
  await using creatorParts = new ClientParts(pair.creator, { sendRate: FAST });
  const joiner: Side = { parts: joinerParts, socket: await joinerParts.online(), passed: 0 };
  const creator: Side = { parts: creatorParts, socket: await creatorParts.online(), passed: 0 };
  await converse(joiner, creator);
  // The joiner turns disappearing messages on; the relay keeps the change.
  await joiner.parts.signals.setTimer(3600);
  await joiner.parts.settle();
  const change = joiner.parts.state.messages.find((m) => m.kind === "timer")!;
  joiner.passed = joiner.socket.sends().length;
  await joiner.parts.reset.start();
  await joiner.parts.settle();
  const frames = joiner.socket.sends().slice(joiner.passed);
  joiner.passed += frames.length;
  const offer = frames.find((f) => isResetOfferBody(f.body))!;
  await deliver(joiner, creator, change.id, offer.body);
  await converse(joiner, creator);
  assert.equal(creator.parts.state.problems.length, 1);
  assert.equal(joiner.parts.state.find(change.id)?.status, "sent", "the change is not delivered");
  assert.equal(creator.parts.state.conversation.timer, 0);
  creator.parts.state.acknowledgeProblems();
  await deliver(joiner, creator, offer.id, offer.body);
  await converse(joiner, creator);
  assert.equal(creator.parts.state.conversation.timer, 3600);
  assert.equal(joiner.parts.state.find(change.id)?.status, "delivered");
});
