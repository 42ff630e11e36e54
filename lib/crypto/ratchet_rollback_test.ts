// A ratchet state used twice (a restored backup, a VM snapshot, a write the
// disk lost) must never make AES-GCM seal under one key and nonce twice:
// that would give the relay the keystream and the GHASH key, so it could
// read the messages and forge new ones. The per-message salt prevents it.
import assert from "node:assert/strict";
import { webCryptoHmac } from "../../tests/fixtures/webcrypto_hmac.ts";
import { decodeHex, encodeHex } from "../../tests/fixtures/hex.ts";
import { fixedRandom } from "../../tests/fixtures/fixed_random.ts";
import { bytesEqual, concatBytes, utf8 } from "./encoding.ts";
import {
  cloneState,
  kdfChainKey,
  MESSAGE_KEY_INFO,
  messageCipherKey,
  ratchetDecrypt,
  ratchetEncrypt,
  RatchetError,
  type RatchetHeader,
  type RatchetState,
} from "./ratchet.ts";
import { initRatchetInitiator, initRatchetResponder } from "./ratchet_init.ts";
import { SALT_BYTES } from "./ratchet_header.ts";
import { generateX25519KeyPair } from "./x25519.ts";

const AD = utf8("associated data");
const PREFIX = "Dear Eve, please pay the bearer of this note: ".padEnd(48, ".");
// Three plaintexts of 64 bytes that differ only in their last 16-byte block.
const FIRST = utf8(PREFIX + "ten euros.......");
const SECOND = utf8(PREFIX + "twenty euros....");
const FORGED = utf8(PREFIX + "all my savings!!");
const TAG_BYTES = 16;

interface Sealed {
  header: RatchetHeader;
  ciphertext: Uint8Array;
}

async function startSession(): Promise<{ alice: RatchetState; bob: RatchetState }> {
  const sk = crypto.getRandomValues(new Uint8Array(32));
  const spk = await generateX25519KeyPair();
  const alice = await initRatchetInitiator(sk, spk.publicKey);
  let bob = initRatchetResponder(sk, spk);
  // One message each way, so both sides are mid-conversation.
  const hello = await ratchetEncrypt(alice, utf8("hello"), AD);
  bob = (await ratchetDecrypt(bob, hello.header, hello.ciphertext, AD)).state;
  const reply = await ratchetEncrypt(bob, utf8("hi"), AD);
  const opened = await ratchetDecrypt(hello.state, reply.header, reply.ciphertext, AD);
  return { alice: opened.state, bob: reply.state };
}

/** Alice seals FIRST, her state is rolled back, and she seals SECOND. */
async function sealTwiceFromOneState() {
  const { alice, bob } = await startSession();
  const restored = cloneState(alice);
  const first = await ratchetEncrypt(alice, FIRST, AD);
  const second = await ratchetEncrypt(restored, SECOND, AD);
  return { alice, bob, first, second };
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  assert.equal(a.length, b.length);
  return a.map((byte, i) => byte ^ b[i]);
}

function body(sealed: Sealed): Uint8Array {
  return sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
}

function tag(sealed: Sealed): Uint8Array {
  return sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
}

async function assertRefused(state: RatchetState, message: Sealed): Promise<void> {
  const before = cloneState(state);
  await assert.rejects(
    ratchetDecrypt(state, message.header, message.ciphertext, AD),
    RatchetError,
  );
  assert.deepEqual(state, before, "a refused message changes nothing");
}

// GF(2^128) in GCM's bit order (NIST SP 800-38D, algorithm 1).
const R = 0xe1n << 120n;

function toField(bytes: Uint8Array): bigint {
  return BigInt("0x" + encodeHex(bytes));
}

function fromField(value: bigint): Uint8Array {
  return decodeHex(value.toString(16).padStart(32, "0"));
}

function gfMultiply(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

function gfInverse(x: bigint): bigint {
  // x^(2^128 - 2): the multiplicative group has order 2^128 - 1.
  let result = 1n << 127n; // the field's 1 in GCM's bit order
  let base = x;
  let exponent = (1n << 128n) - 2n;
  while (exponent > 0n) {
    if (exponent & 1n) result = gfMultiply(result, base);
    base = gfMultiply(base, base);
    exponent >>= 1n;
  }
  return result;
}

/**
 * The relay's forgery from two messages sealed under one key and nonce that
 * differ only in their last body block: a GCM tag is affine in each
 * ciphertext block, so `T1 ⊕ T2 = (C1 ⊕ C2)·H^k` reveals `H^k`, and the tag
 * of any third last block follows without the key. Under today's protocol
 * the two messages have different keys and nonces, so the result is noise.
 */
function forgeTag(first: Sealed, second: Sealed, forgedBody: Uint8Array): Uint8Array {
  const last = (bytes: Uint8Array) => toField(bytes.subarray(bytes.length - 16));
  const slope = gfMultiply(
    toField(xor(tag(first), tag(second))),
    gfInverse(last(body(first)) ^ last(body(second))),
  );
  return fromField(
    toField(tag(first)) ^ gfMultiply(last(body(first)) ^ last(forgedBody), slope),
  );
}

Deno.test("rollback: sealing twice from one restored state draws new salts, so no key, nonce or keystream repeats", async () => {
  const { alice, first, second } = await sealTwiceFromOneState();
  // The same message number under the same ratchet key: the message key repeats.
  assert.deepEqual(first.header.dh, second.header.dh);
  assert.equal(first.header.n, second.header.n);
  assert.equal(first.header.pn, second.header.pn);
  assert.equal(first.header.salt.length, SALT_BYTES);
  assert.ok(!bytesEqual(first.header.salt, second.header.salt), "the salts differ");
  // ... but the AES key and nonce derived from it and each salt do not.
  const { mk } = kdfChainKey(alice.cks!);
  const one = await messageCipherKey(mk, first.header.salt);
  const two = await messageCipherKey(mk, second.header.salt);
  assert.ok(!bytesEqual(one.key, two.key), "the AES keys differ");
  assert.ok(!bytesEqual(one.iv, two.iv), "the nonces differ");
  // With one keystream, C1 ⊕ C2 would equal P1 ⊕ P2 and leak the plaintexts.
  assert.ok(
    !bytesEqual(xor(body(first), body(second)), xor(FIRST, SECOND)),
    "no keystream is reused",
  );
  const keystream1 = xor(body(first), FIRST);
  const keystream2 = xor(body(second), SECOND);
  const same = keystream1.filter((byte, i) => byte === keystream2[i]).length;
  assert.ok(same < 8, `the keystreams share ${same} of 64 bytes`);
});

Deno.test("rollback: a message forged from two ciphertexts of one restored state is refused, the state unchanged", async () => {
  const { bob, first, second } = await sealTwiceFromOneState();
  const candidates: Sealed[] = [];
  for (const [sealed, plaintext] of [[first, FIRST], [second, SECOND]] as const) {
    // A known plaintext's keystream, reused for another text.
    const forgedBody = xor(xor(body(sealed), plaintext), FORGED);
    for (const header of [first.header, second.header]) {
      for (const forgedTag of [tag(first), tag(second), forgeTag(first, second, forgedBody)]) {
        candidates.push({ header, ciphertext: concatBytes(forgedBody, forgedTag) });
      }
    }
  }
  assert.equal(candidates.length, 12);
  for (const candidate of candidates) await assertRefused(bob, candidate);
  // Bob's state is untouched: the genuine first message still opens.
  const opened = await ratchetDecrypt(bob, first.header, first.ciphertext, AD);
  assert.deepEqual(opened.plaintext, FIRST);
});

Deno.test("rollback: the message salt comes from the injected random source, and getRandomValues otherwise", async () => {
  const { alice } = await startSession();
  const random = fixedRandom(7);
  const expected = fixedRandom(7)(SALT_BYTES);
  const fixed = await ratchetEncrypt(alice, FIRST, AD, { random });
  assert.deepEqual(fixed.header.salt, expected);
  // The same state, the same text and the same salt seal identically.
  const again = await ratchetEncrypt(alice, FIRST, AD, { random: () => expected.slice() });
  assert.deepEqual(again.ciphertext, fixed.ciphertext);
  // By default every seal draws a new salt.
  const salts = new Set<string>();
  for (let i = 0; i < 32; i++) {
    salts.add(encodeHex((await ratchetEncrypt(alice, FIRST, AD)).header.salt));
  }
  assert.equal(salts.size, 32);
  await assert.rejects(
    ratchetEncrypt(alice, FIRST, AD, { random: () => new Uint8Array(8) }),
    { name: "TypeError", message: "Invalid random source: expected 16 bytes for a message salt" },
  );
});

Deno.test("rollback: the AES key and nonce are HKDF-SHA-256 with the message salt as HKDF salt", async () => {
  // RFC 5869 by hand: PRK = HMAC(salt, mk); OKM = T1 ‖ T2, Ti = HMAC(PRK, Ti-1 ‖ info ‖ i).
  const mk = decodeHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const salt = decodeHex("f0e1d2c3b4a5968778695a4b3c2d1e0f");
  const info = utf8(MESSAGE_KEY_INFO);
  const prk = await webCryptoHmac(salt, mk);
  const t1 = await webCryptoHmac(prk, concatBytes(info, Uint8Array.of(1)));
  const t2 = await webCryptoHmac(prk, concatBytes(t1, info, Uint8Array.of(2)));
  const okm = concatBytes(t1, t2);
  const derived = await messageCipherKey(mk, salt);
  assert.deepEqual(derived.key, okm.subarray(0, 32));
  assert.deepEqual(derived.iv, okm.subarray(32, 44));
  assert.equal(MESSAGE_KEY_INFO, "anon/v3/message-key");
  await assert.rejects(() => messageCipherKey(mk, new Uint8Array(32)), {
    name: "TypeError",
    message: "Invalid message salt: expected 16 bytes",
  });
});
