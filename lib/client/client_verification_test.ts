import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";
import { safetyNumber, safetyNumberKey } from "../crypto/safety_number.ts";
import { ClientVerification } from "./client_verification.ts";

Deno.test("the safety number, fetched when first asked, is the same on both sides; none before the peer is pinned", async () => {
  const pinned = await makeStoredPair();
  await using creatorParts = new ClientParts(pinned.creator);
  await using joinerParts = new ClientParts(pinned.joiner);
  const creator = new ClientVerification(creatorParts.state);
  const joiner = new ClientVerification(joinerParts.state);
  const number = await creator.safetyNumber();
  assert.match(number!, /^\d{60}$/);
  assert.equal(await joiner.safetyNumber(), number);
  // The same as computing it directly, and the same promise on every ask.
  const { conversation } = creatorParts.state;
  assert.equal(
    number,
    await safetyNumber({
      ownKey: safetyNumberKey(conversation.bundle),
      ownId: conversation.participantId,
      peerKey: safetyNumberKey(conversation.peer!.bundle),
      peerId: conversation.peer!.id,
    }),
  );
  assert.equal(creator.safetyNumber(), creator.safetyNumber());

  const unpinned = await makeStoredPair({ pinned: false });
  await using waitingParts = new ClientParts(unpinned.creator);
  assert.equal(new ClientVerification(waitingParts.state).safetyNumber(), null);
});

Deno.test("marking the safety number verified stores it; clearing the mark stores null", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  const verification = new ClientVerification(parts.state);
  await verification.setVerified(true);
  assert.equal(parts.state.conversation.verified, await verification.safetyNumber());
  await verification.setVerified(false);
  assert.equal(parts.state.conversation.verified, null);
});
