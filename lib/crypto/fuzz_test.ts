// Property-based fuzzing of every decoder: random and mutated input
// must give a clear TypeError (never another exception, never a hang), and a
// mutated envelope must never decrypt nor change the ratchet state.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CONVERSATION_ID,
  CREATOR_ID,
  JOINER_ID,
  makeSessionPair,
} from "../../tests/fixtures/session_pair.ts";
import { parseAnyBundle, parseBundle } from "./bundle.ts";
import { concatBytes, encodeBase64Url, utf8 } from "./encoding.ts";
import {
  decodeHeader,
  encodeEnvelope,
  ENVELOPE_VERSION,
  messageAd,
  parseEnvelope,
} from "./envelope.ts";
import { HEADER_BYTES } from "./ratchet_header.ts";
import { generateIdentity } from "./identity.ts";
import { deriveAccessKey, OutdatedInviteError, parseInviteFragment } from "./invite.ts";
import { createLegacyBundle } from "./bundle_signing.ts";
import { openMessage, sealMessage } from "./message.ts";
import { encodePayload, parsePayload, type Payload } from "./payload.ts";
import { cloneState, RatchetError } from "./ratchet.ts";
import { generatePrekeys } from "./prekeys.ts";
import {
  encodeResetOffer,
  parseResetOffer,
  signResetOffer,
  verifyResetOffer,
} from "./reset_offer.ts";

const RUNS = 2000;

/** Runs `decode` and accepts only success or a TypeError with a message. */
function onlyTypeErrors(decode: () => unknown): boolean {
  try {
    decode();
  } catch (error) {
    assert.ok(error instanceof TypeError, `unexpected ${String(error)}`);
    assert.ok(error.message.length > 0);
  }
  return true;
}

/** Byte-wise mutations of a valid encoding: flips, overwrites, cuts, insertions. */
function mutatedBytes(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const flip = fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(
    ([i, x]) => {
      const copy = valid.slice();
      copy[i] ^= x;
      return copy;
    },
  );
  const cut = fc.nat(valid.length).map((n) => valid.slice(0, n));
  const insert = fc.tuple(fc.nat(valid.length), fc.uint8Array({ minLength: 1, maxLength: 40 })).map(
    ([i, extra]) => new Uint8Array([...valid.subarray(0, i), ...extra, ...valid.subarray(i)]),
  );
  const splice = fc.tuple(fc.nat(valid.length - 1), fc.uint8Array({ minLength: 1, maxLength: 8 }))
    .map(
      ([i, bytes]) => {
        const copy = valid.slice();
        copy.set(bytes.subarray(0, copy.length - i), i);
        return copy;
      },
    );
  return fc.oneof(flip, cut, insert, splice);
}

/** Field-wise mutations of a JSON object: each key dropped, retyped or replaced. */
function mutatedObject(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const anyValue = fc.oneof(
    fc.anything(),
    fc.string(),
    fc.base64String(),
    fc.integer(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
  );
  return fc.oneof(
    fc.constantFrom(...keys).map((key) => {
      const copy = { ...valid };
      delete copy[key];
      return copy;
    }),
    fc.tuple(fc.constantFrom(...keys), anyValue).map(([key, value]) => ({
      ...valid,
      [key]: value,
    })),
    fc.tuple(fc.string(), anyValue).map(([key, value]) => ({ ...valid, [key]: value })),
    fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...keys)).map(([a, b]) => ({
      ...valid,
      [a]: valid[b],
    })),
  );
}

Deno.test("parseInviteFragment() gives only TypeErrors for random and mutated fragments", () => {
  const valid = "#" + encodeBase64Url(new Uint8Array(48).fill(7));
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string({ unit: "grapheme" }),
        fc.base64String(),
        fc.anything(),
        fc.uint8Array({ maxLength: 80 }).map((bytes) => "#" + encodeBase64Url(bytes)),
        fc.tuple(fc.nat(valid.length), fc.string({ maxLength: 3 })).map(([i, s]) =>
          valid.slice(0, i) + s + valid.slice(i + 1)
        ),
      ),
      (input) => {
        try {
          const invite = parseInviteFragment(input as string);
          // Whatever parses is exactly a secret and a fingerprint that spell the input.
          assert.equal(invite.secret.length, 32);
          assert.equal(invite.fingerprint.length, 16);
          const text = (input as string).replace(/^#/, "");
          assert.equal(encodeBase64Url(concatBytes(invite.secret, invite.fingerprint)), text);
        } catch (error) {
          assert.ok(error instanceof TypeError, `unexpected ${String(error)}`);
          assert.match(error.message, /^Invalid invite link: /);
        }
        return true;
      },
    ),
    { numRuns: RUNS },
  );
});

Deno.test("parseInviteFragment() reads every 48-byte fragment and calls every 32-byte one outdated", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 48, maxLength: 48 }),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.boolean(),
      (current, old, hash) => {
        const prefix = hash ? "#" : "";
        const invite = parseInviteFragment(prefix + encodeBase64Url(current));
        assert.deepEqual(concatBytes(invite.secret, invite.fingerprint), current);
        assert.throws(
          () => parseInviteFragment(prefix + encodeBase64Url(old)),
          OutdatedInviteError,
        );
      },
    ),
    { numRuns: RUNS },
  );
});

Deno.test("parseAnyBundle() and parseBundle() give only TypeErrors for random and mutated bundles", async () => {
  const pair = await makeSessionPair();
  const access = await deriveAccessKey(pair.secret);
  const v1 = await createLegacyBundle(await generateIdentity(), access.privateKey);
  const inputs = fc.oneof(
    fc.anything(),
    fc.object(),
    mutatedObject({ ...pair.creatorBundle }),
    mutatedObject({ ...pair.joinerBundle }),
    mutatedObject({ ...v1 }),
  );
  fc.assert(
    fc.property(inputs, (input) => {
      onlyTypeErrors(() => parseAnyBundle(input));
      return onlyTypeErrors(() => parseBundle(input));
    }),
    { numRuns: RUNS },
  );
});

Deno.test("parseEnvelope() and decodeHeader() give only TypeErrors for random and mutated bytes", async () => {
  const pair = await makeSessionPair();
  const sealed = await sealMessage(pair.alice, utf8("fuzz"), new Uint8Array());
  const withHandshake = encodeEnvelope({ ...sealed, handshake: pair.handshake });
  const without = encodeEnvelope(sealed);
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 1300 }),
    fc.uint8Array({ maxLength: 100 }).map((tail) =>
      Uint8Array.of(ENVELOPE_VERSION, tail[0] ?? 0, ...tail)
    ),
    mutatedBytes(withHandshake),
    mutatedBytes(without),
  );
  fc.assert(
    fc.property(inputs, (bytes) => {
      onlyTypeErrors(() => decodeHeader(bytes.subarray(2, 2 + HEADER_BYTES)));
      return onlyTypeErrors(() => parseEnvelope(bytes));
    }),
    { numRuns: RUNS },
  );
});

Deno.test("parsePayload() gives only TypeErrors for random and mutated payloads", () => {
  const payloads: Payload[] = [
    { v: 2, type: "text", id: JOINER_ID, text: "hi", sentAt: 1, expiresIn: 0 },
    { v: 2, type: "hello", id: JOINER_ID, sentAt: 1 },
    { v: 2, type: "receipt", id: JOINER_ID, ids: [CREATOR_ID], sentAt: 1 },
    { v: 2, type: "end", id: JOINER_ID, sentAt: 1 },
  ];
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.json().map(utf8),
    fc.anything().map((value) => utf8(JSON.stringify(value) ?? "")),
    ...payloads.map((payload) =>
      mutatedObject({ ...payload }).map((value) => utf8(JSON.stringify(value) ?? ""))
    ),
    ...payloads.map((payload) => mutatedBytes(encodePayload(payload))),
  );
  fc.assert(
    fc.property(inputs, (bytes) => onlyTypeErrors(() => parsePayload(bytes))),
    { numRuns: RUNS },
  );
});

Deno.test("mutated envelopes never decrypt and never change the ratchet state", async () => {
  const pair = await makeSessionPair();
  const ad = messageAd({
    conversationId: CONVERSATION_ID,
    from: JOINER_ID,
    to: CREATOR_ID,
    fromSign: pair.joiner.signPublic,
    toSign: pair.creator.signPublic,
  });
  // Bob has received one message, so the state has chains and a skipped key.
  const first = await sealMessage(pair.alice, utf8("first"), ad);
  const second = await sealMessage(first.state, utf8("second"), ad);
  const third = await sealMessage(second.state, utf8("third"), ad);
  const bob = (await openMessage(pair.bob, third.header, third.ciphertext, ad)).state;
  const snapshot = cloneState(bob);
  const valid = encodeEnvelope(second);
  await fc.assert(
    fc.asyncProperty(mutatedBytes(valid), async (bytes) => {
      fc.pre(!bytes.every((byte, i) => byte === valid[i]) || bytes.length !== valid.length);
      let envelope;
      try {
        envelope = parseEnvelope(bytes);
      } catch (error) {
        assert.ok(error instanceof TypeError);
        return true;
      }
      await assert.rejects(
        openMessage(bob, envelope.header, envelope.ciphertext, ad),
        RatchetError,
      );
      assert.deepEqual(bob, snapshot);
      return true;
    }),
    { numRuns: 500 },
  );
  // The genuine message still opens afterwards.
  const { plaintext } = await openMessage(bob, second.header, second.ciphertext, ad);
  assert.equal(new TextDecoder().decode(plaintext), "second");
});

Deno.test("parseResetOffer() gives only TypeErrors for random and mutated offers, and no mutated offer verifies", async () => {
  const signing = await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
  const signPublic = new Uint8Array(
    await crypto.subtle.exportKey("raw", (signing as CryptoKeyPair).publicKey),
  );
  const prekeys = await generatePrekeys("noble");
  const parties = {
    conversationId: CONVERSATION_ID,
    from: CREATOR_ID,
    to: JOINER_ID,
    noticeId: "01JD3Q8Z5W0000000000000004",
  };
  const valid = encodeResetOffer(
    await signResetOffer((signing as CryptoKeyPair).privateKey, parties, {
      generation: 3,
      spk: prekeys.spk.publicKey,
      pqspk: prekeys.pq.publicKey,
    }),
  );
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 1400 }),
    fc.uint8Array({ maxLength: 100 }).map((tail) => Uint8Array.of(ENVELOPE_VERSION, 2, ...tail)),
    mutatedBytes(valid),
  );
  await fc.assert(
    fc.asyncProperty(inputs, async (bytes) => {
      let offer;
      try {
        offer = parseResetOffer(bytes);
      } catch (error) {
        assert.ok(error instanceof TypeError, `unexpected ${String(error)}`);
        assert.match(error.message, /^Invalid reset offer: /);
        return true;
      }
      const same = bytes.length === valid.length && bytes.every((byte, i) => byte === valid[i]);
      assert.equal(await verifyResetOffer(offer, { ...parties, signPublic }), same);
      return true;
    }),
    { numRuns: 500 },
  );
});
