import assert from "node:assert/strict";
import {
  CONVERSATION_ID,
  CREATOR_ID,
  JOINER_ID,
  makeSessionPair,
  type SessionPair,
} from "../../tests/fixtures/session_pair.ts";
import { createBundle } from "./bundle.ts";
import { utf8 } from "./encoding.ts";
import { generateIdentity } from "./identity.ts";
import { deriveAccessKey, deriveSessionSalt, generateInviteSecret } from "./invite.ts";
import { generateKemKeyPair, type KemBackend } from "./kem.ts";
import { initiateHandshake, respondHandshake, type RespondHandshakeOptions } from "./pqxdh.ts";
import { generatePrekeys } from "./prekeys.ts";
import { ratchetDecrypt, ratchetEncrypt, RatchetError } from "./ratchet.ts";
import { initRatchetInitiator, initRatchetResponder } from "./ratchet_init.ts";
import { resetPsk } from "./reset_offer.ts";
import { generateX25519KeyPair } from "./x25519.ts";

function respondOptions(pair: SessionPair): RespondHandshakeOptions {
  return {
    conversationId: CONVERSATION_ID,
    initiatorId: JOINER_ID,
    responderId: CREATOR_ID,
    responderDhPrivate: pair.creator.dh.privateKey,
    spkPrivate: pair.prekeys.spk.privateKey,
    pq: pair.prekeys.pq,
    initiatorDhPublic: pair.joiner.dhPublic,
    handshake: pair.handshake,
    psk: pair.psk,
  };
}

/** Tells whether the joiner's first message, under `joinerKey`, opens for the creator's `creatorKey`. */
async function firstMessageOpens(
  pair: SessionPair,
  joinerKey: Uint8Array,
  creatorKey: Uint8Array,
): Promise<boolean> {
  const alice = await initRatchetInitiator(joinerKey, pair.prekeys.spk.publicKey);
  const bob = initRatchetResponder(creatorKey, pair.prekeys.spk);
  const sent = await ratchetEncrypt(alice, utf8("hello"), new Uint8Array());
  try {
    await ratchetDecrypt(bob, sent.header, sent.ciphertext, new Uint8Array());
    return true;
  } catch (error) {
    assert.ok(error instanceof RatchetError);
    return false;
  }
}

Deno.test("both sides derive the same 32-byte key, with every pair of KEM backends", async () => {
  const backends: KemBackend[] = ["webcrypto", "noble"];
  for (const creatorBackend of backends) {
    for (const joinerBackend of backends) {
      const pair = await makeSessionPair(creatorBackend, joinerBackend);
      assert.equal(pair.joinerKey.length, 32);
      assert.deepEqual(pair.creatorKey, pair.joinerKey);
      assert.equal(pair.handshake.ek.length, 32);
      assert.equal(pair.handshake.ct.length, 1088);
      assert.equal(await firstMessageOpens(pair, pair.joinerKey, pair.creatorKey), true);
    }
  }
});

Deno.test("each handshake uses a fresh ephemeral key and encapsulation", async () => {
  const pair = await makeSessionPair();
  const again = await initiateHandshake({
    conversationId: CONVERSATION_ID,
    initiatorId: JOINER_ID,
    responderId: CREATOR_ID,
    initiatorDhPrivate: pair.joiner.dh.privateKey,
    responderBundle: pair.creatorBundle,
    psk: pair.psk,
  });
  assert.notDeepEqual(again.handshake.ek, pair.handshake.ek);
  assert.notDeepEqual(again.handshake.ct, pair.handshake.ct);
  assert.notDeepEqual(again.sharedKey, pair.joinerKey);
});

Deno.test("a wrong psk (another invite secret) gives a different key and the first message fails", async () => {
  const pair = await makeSessionPair();
  const wrongPsk = await deriveSessionSalt(generateInviteSecret());
  const key = await respondHandshake({ ...respondOptions(pair), psk: wrongPsk });
  assert.notDeepEqual(key, pair.joinerKey);
  assert.equal(await firstMessageOpens(pair, pair.joinerKey, key), false);
});

Deno.test("a tampered ephemeral key or KEM ciphertext gives a different key", async () => {
  const pair = await makeSessionPair();
  const ek = pair.handshake.ek.slice();
  ek[0] ^= 0x40;
  const ct = pair.handshake.ct.slice();
  ct[500] ^= 1;
  for (const handshake of [{ ek, ct: pair.handshake.ct }, { ek: pair.handshake.ek, ct }]) {
    const key = await respondHandshake({ ...respondOptions(pair), handshake });
    assert.notDeepEqual(key, pair.joinerKey);
    assert.equal(await firstMessageOpens(pair, pair.joinerKey, key), false);
  }
});

Deno.test("a swapped signed prekey or ML-KEM prekey gives a different key", async () => {
  const pair = await makeSessionPair();
  const access = await deriveAccessKey(pair.secret);
  const otherSpk = await generateX25519KeyPair();
  const otherPq = await generateKemKeyPair("webcrypto");
  // A relay serves the creator's bundle with one prekey replaced by its own.
  for (
    const prekeys of [
      { spkPublic: otherSpk.publicKey, pqspkPublic: pair.prekeys.pq.publicKey },
      { spkPublic: pair.prekeys.spk.publicKey, pqspkPublic: otherPq.publicKey },
    ]
  ) {
    const swapped = await createBundle(pair.creator, access.privateKey, prekeys);
    const { sharedKey, handshake } = await initiateHandshake({
      conversationId: CONVERSATION_ID,
      initiatorId: JOINER_ID,
      responderId: CREATOR_ID,
      initiatorDhPrivate: pair.joiner.dh.privateKey,
      responderBundle: swapped,
      psk: pair.psk,
    });
    const key = await respondHandshake({ ...respondOptions(pair), handshake });
    assert.notDeepEqual(key, sharedKey);
  }
});

Deno.test("the key is bound to the conversation and both participant IDs", async () => {
  const pair = await makeSessionPair();
  const options = respondOptions(pair);
  for (
    const change of [
      { conversationId: "01JGZ0000000000000000000C3" },
      { initiatorId: "01JGZ0000000000000000000A3" },
      { responderId: "01JGZ0000000000000000000B3" },
      { initiatorId: CREATOR_ID, responderId: JOINER_ID },
    ]
  ) {
    assert.notDeepEqual(await respondHandshake({ ...options, ...change }), pair.joinerKey);
  }
});

Deno.test("the handshake refuses malformed inputs with a TypeError", async () => {
  const pair = await makeSessionPair();
  const options = respondOptions(pair);
  const cases: [Partial<RespondHandshakeOptions>, RegExp][] = [
    [{ conversationId: "c" }, /^Invalid conversation ID: expected a ULID$/],
    [{ initiatorId: CREATOR_ID }, /cannot shake hands with itself/],
    [{ psk: new Uint8Array(31) }, /^Invalid handshake: expected a 32-byte psk$/],
    [{ handshake: { ek: new Uint8Array(31), ct: pair.handshake.ct } }, /ephemeral key/],
    [{ handshake: { ek: pair.handshake.ek, ct: new Uint8Array(1087) } }, /ML-KEM ciphertext/],
  ];
  for (const [change, message] of cases) {
    await assert.rejects(respondHandshake({ ...options, ...change }), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
  // A joiner's bundle has no prekeys to start a handshake with.
  await assert.rejects(
    initiateHandshake({
      conversationId: CONVERSATION_ID,
      initiatorId: JOINER_ID,
      responderId: CREATOR_ID,
      initiatorDhPrivate: pair.joiner.dh.privateKey,
      responderBundle: pair.joinerBundle,
      psk: pair.psk,
    }),
    { name: "TypeError", message: "Invalid bundle: it carries no signed prekeys" },
  );
});

Deno.test("a low-order ephemeral key is refused instead of giving a guessable key", async () => {
  const pair = await makeSessionPair();
  await assert.rejects(
    respondHandshake({
      ...respondOptions(pair),
      handshake: { ek: new Uint8Array(32), ct: pair.handshake.ct },
    }),
    { message: "X25519 failed: the public key is a low-order point" },
  );
});

Deno.test("fixed randomness makes the handshake reproducible with the noble backend", async () => {
  const secret = new Uint8Array(32).fill(3);
  const access = await deriveAccessKey(secret);
  const creator = await generateIdentity();
  const joiner = await generateIdentity();
  const prekeys = await generatePrekeys("noble");
  const bundle = await createBundle(creator, access.privateKey, {
    spkPublic: prekeys.spk.publicKey,
    pqspkPublic: prekeys.pq.publicKey,
  });
  const run = () =>
    initiateHandshake({
      conversationId: CONVERSATION_ID,
      initiatorId: JOINER_ID,
      responderId: CREATOR_ID,
      initiatorDhPrivate: joiner.dh.privateKey,
      responderBundle: bundle,
      psk: new Uint8Array(32),
      kemBackend: "noble",
      random: (n) => new Uint8Array(n).fill(7),
      kemMessage: new Uint8Array(32).fill(8),
    });
  assert.deepEqual(await run(), await run());
});

Deno.test("a session reset's handshake against raw offer prekeys gives both sides one key, bound to the generation", async () => {
  // The joiner answers the creator's reset offer: the creator's fresh
  // prekeys stand in for its bundle's, and the psk is the reset's.
  const pair = await makeSessionPair();
  const prekeys = await generatePrekeys();
  const reset = async (generation: number) => {
    const psk = await resetPsk(generation);
    const initiated = await initiateHandshake({
      conversationId: CONVERSATION_ID,
      initiatorId: JOINER_ID,
      responderId: CREATOR_ID,
      psk,
      initiatorDhPrivate: pair.joiner.dh.privateKey,
      responderBundle: {
        dhPublic: pair.creator.dhPublic,
        spkPublic: prekeys.spk.publicKey,
        pqspkPublic: prekeys.pq.publicKey,
      },
    });
    const responded = await respondHandshake({
      ...respondOptions(pair),
      psk,
      spkPrivate: prekeys.spk.privateKey,
      pq: prekeys.pq,
      handshake: initiated.handshake,
    });
    return { initiated, responded };
  };
  const first = await reset(1);
  assert.deepEqual(first.responded, first.initiated.sharedKey);
  assert.notDeepEqual(first.initiated.sharedKey, pair.joinerKey);
  // The same handshake under another generation's psk gives another key.
  const wrong = await respondHandshake({
    ...respondOptions(pair),
    psk: await resetPsk(2),
    spkPrivate: prekeys.spk.privateKey,
    pq: prekeys.pq,
    handshake: first.initiated.handshake,
  });
  assert.notDeepEqual(wrong, first.initiated.sharedKey);
});
