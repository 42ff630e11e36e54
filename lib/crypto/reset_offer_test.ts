import assert from "node:assert/strict";
import { fixedSeed } from "../../tests/fixtures/fixed_keys.ts";
import { decodeHex, encodeHex } from "../../tests/fixtures/hex.ts";
import { parseEnvelope } from "./envelope.ts";
import { generateKemKeyPair } from "./kem.ts";
import { generatePrekeys } from "./prekeys.ts";
import {
  encodeResetOffer,
  isResetOffer,
  parseResetOffer,
  RESET_OFFER_BYTES,
  type ResetOffer,
  resetOfferMessage,
  type ResetParties,
  resetPsk,
  signResetOffer,
  verifyResetOffer,
} from "./reset_offer.ts";
import { importSeedKey } from "./seed_key.ts";
import { generateX25519KeyPair } from "./x25519.ts";

const PARTIES: ResetParties = {
  conversationId: "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
  from: "01JD3Q8Z5W0000000000000001",
  to: "01JD3Q8Z5W0000000000000002",
  noticeId: "01JD3Q8Z5W0000000000000004",
};

/** The fixed offer: Ed25519 seed 0x11…, X25519 prekey seed 0x22…, ML-KEM seed 0, 1, … 63. */
async function fixedOffer(generation = 7) {
  const signing = await importSeedKey("Ed25519", fixedSeed(0x11));
  const spk = await generateX25519KeyPair(() => fixedSeed(0x22));
  const pq = await generateKemKeyPair("noble", {
    seed: Uint8Array.from({ length: 64 }, (_, i) => i),
  });
  const offer = await signResetOffer(signing.privateKey, PARTIES, {
    generation,
    spk: spk.publicKey,
    pqspk: pq.publicKey,
  });
  return { offer, signPublic: signing.publicKey };
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return encodeHex(await crypto.subtle.digest("SHA-256", bytes));
}

// The answers were computed independently with Python's `cryptography`
// (X25519, Ed25519) over the same inputs and the ML-KEM key of the fixed seed.
Deno.test("a reset offer from fixed keys encodes to fixed bytes (known answer)", async () => {
  const { offer, signPublic } = await fixedOffer();
  const bytes = encodeResetOffer(offer);
  assert.equal(bytes.length, RESET_OFFER_BYTES);
  assert.equal(RESET_OFFER_BYTES, 1286);
  // 0x03 ‖ 0x02 ‖ generation 7 ‖ the X25519 prekey of seed 0x22…
  assert.equal(
    encodeHex(bytes.subarray(0, 38)),
    "0302" + "00000007" + "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20",
  );
  // Ed25519 is deterministic (RFC 8032): the signature is fixed too.
  assert.equal(
    encodeHex(offer.signature),
    "265a3019c3d55b4e58337917513ebd5ff787cbb74b34c9749f25cf506760d257" +
      "e88b9bebba115a94951ca09291ace07499ddab66ae038c8e2cc29b6303ec1b0e",
  );
  assert.equal(
    await sha256Hex(bytes),
    "3ffa0066983b244ea94e7539361ba951b56fbf5f6d4ba318b294117cee808c96",
  );
  assert.equal(await verifyResetOffer(offer, { ...PARTIES, signPublic }), true);
  assert.deepEqual(parseResetOffer(bytes), offer);
});

Deno.test("the signed bytes of a reset offer name the notice's ID after the two participants (known answer)", async () => {
  const { offer } = await fixedOffer();
  const message = resetOfferMessage(PARTIES, offer);
  const ids = PARTIES.conversationId + PARTIES.from + PARTIES.to + PARTIES.noticeId;
  const head = new TextEncoder().encode("anon/v3/reset-offer" + ids);
  assert.deepEqual(message.subarray(0, head.length), head);
  assert.equal(encodeHex(message.subarray(head.length, head.length + 4)), "00000007");
  assert.equal(message.length, head.length + 4 + 32 + 1184);
  // SHA-256 of the whole message, computed independently with Python.
  assert.equal(
    await sha256Hex(message),
    "5e8475413171a3097e327ef930a018c176735360b8ec2a4636a0e4eba69c58ba",
  );
  assert.throws(
    () => resetOfferMessage({ ...PARTIES, noticeId: "not a ulid" }, offer),
    TypeError,
  );
});

Deno.test("resetPsk() is SHA-256 over the context and the generation (known answer)", async () => {
  assert.equal(
    encodeHex(await resetPsk(1)),
    "b487f8911848bc742c2507b315b58d29a9f0f25f57841f8f61d1100fd3f1750a",
  );
  assert.notEqual(encodeHex(await resetPsk(2)), encodeHex(await resetPsk(1)));
  await assert.rejects(resetPsk(0), TypeError);
});

Deno.test("verifyResetOffer() refuses another conversation, other participants, another notice ID, another generation or key", async () => {
  const { offer, signPublic } = await fixedOffer();
  const other = "01JD3Q8Z5W0000000000000003";
  const refused: [string, ResetOffer, ResetParties & { signPublic: Uint8Array }][] = [
    ["another conversation", offer, { ...PARTIES, conversationId: other, signPublic }],
    ["another sender", offer, { ...PARTIES, from: other, signPublic }],
    ["another recipient", offer, { ...PARTIES, to: other, signPublic }],
    ["another notice ID (relabelled by the relay)", offer, {
      ...PARTIES,
      noticeId: other,
      signPublic,
    }],
    ["sender and recipient swapped", offer, {
      conversationId: PARTIES.conversationId,
      from: PARTIES.to,
      to: PARTIES.from,
      noticeId: PARTIES.noticeId,
      signPublic,
    }],
    ["another generation", { ...offer, generation: 8 }, { ...PARTIES, signPublic }],
    ["another prekey", { ...offer, spk: offer.spk.map((b, i) => i === 0 ? b ^ 1 : b) }, {
      ...PARTIES,
      signPublic,
    }],
    ["a flipped signature bit", {
      ...offer,
      signature: offer.signature.map((b, i) => i === 9 ? b ^ 4 : b),
    }, { ...PARTIES, signPublic }],
    ["another identity key", offer, {
      ...PARTIES,
      signPublic: (await importSeedKey("Ed25519", fixedSeed(0x12))).publicKey,
    }],
    ["a small-order identity key", offer, {
      ...PARTIES,
      signPublic: decodeHex("01" + "00".repeat(31)),
    }],
    ["a short identity key", offer, { ...PARTIES, signPublic: signPublic.subarray(0, 31) }],
  ];
  for (const [what, candidate, options] of refused) {
    assert.equal(await verifyResetOffer(candidate, options), false, what);
  }
});

Deno.test("parseResetOffer() refuses bodies of the wrong kind, length or generation", async () => {
  const { offer } = await fixedOffer();
  const bytes = encodeResetOffer(offer);
  assert.equal(isResetOffer(bytes), true);
  assert.throws(() => parseResetOffer(bytes.subarray(0, 100)), /expected 1286 bytes, got 100/);
  assert.throws(() => parseResetOffer(new Uint8Array([...bytes, 0])), /expected 1286 bytes/);
  const message = bytes.slice();
  message[1] = 0x00;
  assert.equal(isResetOffer(message), false);
  assert.throws(() => parseResetOffer(message), /does not start with 0x03 0x02/);
  const zero = bytes.slice();
  zero.fill(0, 2, 6);
  assert.throws(() => parseResetOffer(zero), /generation 0/);
  // A message parser never takes an offer for a message.
  assert.throws(() => parseEnvelope(bytes), /a session reset offer is not a message/);
  assert.throws(() => encodeResetOffer({ ...offer, generation: 0 }), TypeError);
  assert.throws(
    () => encodeResetOffer({ ...offer, signature: offer.signature.subarray(1) }),
    TypeError,
  );
});

Deno.test("a fresh offer from generated prekeys verifies and round-trips", async () => {
  const signing = await crypto.subtle.generateKey("Ed25519", false, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const signPublic = new Uint8Array(await crypto.subtle.exportKey("raw", signing.publicKey));
  const prekeys = await generatePrekeys();
  const offer = await signResetOffer(signing.privateKey, PARTIES, {
    generation: 0xffff_ffff,
    spk: prekeys.spk.publicKey,
    pqspk: prekeys.pq.publicKey,
  });
  const parsed = parseResetOffer(encodeResetOffer(offer));
  assert.equal(parsed.generation, 0xffff_ffff);
  assert.equal(await verifyResetOffer(parsed, { ...PARTIES, signPublic }), true);
});
