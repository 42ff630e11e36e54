// Known-answer tests of the building blocks: ML-KEM-768 through both
// backends, and libsignal's published chain-key and fingerprint vectors
// reproduced through our own functions.
import assert from "node:assert/strict";
import kat from "../../tests/fixtures/ml_kem_768_kat.json" with { type: "json" };
import { decodeHex, encodeHex } from "../../tests/fixtures/hex.ts";
import { utf8 } from "./encoding.ts";
import { decapsulate, importKemSeed, kemPublicKeyFromSeed } from "./kem.ts";
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import { expandMessageKey, kdfChainKey } from "./ratchet.ts";
import { fingerprintDigits } from "./safety_number.ts";

Deno.test("ML-KEM-768 decapsulation of a fixed seed (imported as raw-seed) matches a frozen answer", async () => {
  const seed = decodeHex(kat.seed);
  const ciphertext = decodeHex(kat.ciphertext);
  assert.equal(seed.length, 64);
  assert.equal(ciphertext.length, 1088);
  const privateKey = await importKemSeed(seed);
  assert.equal(privateKey.extractable, false);
  const webcrypto = await decapsulate({ backend: "webcrypto", privateKey }, ciphertext);
  assert.equal(encodeHex(webcrypto), kat.sharedSecret);
  const noble = await decapsulate({ backend: "noble", privateKey: seed }, ciphertext);
  assert.equal(encodeHex(noble), kat.sharedSecret);
});

Deno.test("ML-KEM-768 gives the same public key from one seed in WebCrypto and noble", async () => {
  const seed = decodeHex(kat.seed);
  const fromWebCrypto = await kemPublicKeyFromSeed(seed);
  const fromNoble = ml_kem768.keygen(seed).publicKey;
  assert.equal(fromWebCrypto.length, 1184);
  assert.equal(encodeHex(fromWebCrypto), encodeHex(fromNoble));
  assert.equal(
    encodeHex(await crypto.subtle.digest("SHA-256", fromWebCrypto)),
    kat.publicKeySha256,
  );
});

Deno.test("libsignal's chain-key vector is reproduced through kdfChainKey() and expandMessageKey()", async () => {
  // libsignal rust/protocol/src/ratchet/keys.rs, test_chain_key_derivation.
  const seed = decodeHex(
    "8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f",
  );
  const { ck, mk } = kdfChainKey(seed);
  const keys = await expandMessageKey(mk, "WhisperMessageKeys", 80);
  assert.equal(
    encodeHex(keys.subarray(0, 32)),
    "bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217",
  );
  assert.equal(
    encodeHex(keys.subarray(32, 64)),
    "c6c77d6a73a354337a56435e34607dfe48e3ace14e77314dc6abc172e7a7030b",
  );
  assert.equal(
    encodeHex(ck),
    "28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d",
  );
});

Deno.test("libsignal's displayable fingerprint vector is reproduced through fingerprintDigits()", async () => {
  // libsignal fingerprint tests: identity keys with the 0x05 type prefix,
  // 5200 iterations, fingerprint version bytes 0x0000.
  const alice = decodeHex(
    "0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868",
  );
  const bob = decodeHex(
    "05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b",
  );
  const aliceDigits = await fingerprintDigits(alice, utf8("+14152222222"), 5200, 0);
  const bobDigits = await fingerprintDigits(bob, utf8("+14153333333"), 5200, 0);
  assert.equal(aliceDigits, "300354477692869396892869876765");
  assert.equal(bobDigits, "458257569162576843440918079131");
  assert.equal(
    aliceDigits + bobDigits,
    "300354477692869396892869876765458257569162576843440918079131",
  );
});
