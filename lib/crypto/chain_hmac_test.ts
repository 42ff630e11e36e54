import assert from "node:assert/strict";
import fc from "fast-check";
import { chainKeys, nextChainKey } from "./chain_hmac.ts";
import { decodeHex, encodeHex } from "../../tests/fixtures/hex.ts";
import { webCryptoHmac } from "../../tests/fixtures/webcrypto_hmac.ts";

/** The same MAC of one byte by WebCrypto, an independent implementation. */
async function webCryptoMac(key: Uint8Array, byte: number): Promise<string> {
  return encodeHex(await webCryptoHmac(key, Uint8Array.of(byte)));
}

Deno.test("libsignal's chain-key vector: the next chain key from its seed", () => {
  // libsignal rust/protocol/src/ratchet/keys.rs, test_chain_key_derivation.
  const seed = decodeHex("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f");
  const next = "28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d";
  assert.equal(encodeHex(chainKeys(seed).ck), next);
  assert.equal(encodeHex(nextChainKey(seed)), next);
});

Deno.test("HMAC-SHA-256 of 0x01 and 0x02 under three keys: OpenSSL's answers", () => {
  // `printf '\x01' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key>`, and '\x02'.
  const answers = [
    [
      "0000000000000000000000000000000000000000000000000000000000000000",
      "3d7afb663124ecbf2c953f863d4fc8796eeb2d372b64aad58697ec5264649cdb",
      "4ee7be0c7872360ca67414608081e9bd60fd580a7bbd209701d2a5a0b4316d0d",
    ],
    [
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "85d3b07ddafe78925cb78c64e84fae54c2842034d0b88cc6d69fb8d106e3ffc8",
      "f21767e18ea6050576c7222650864a19ed941c938265abd255ac79beefa04546",
    ],
    [
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
      "9b4c8120a4823a95f47cde17a244f4507244ee6e3957d1fab9fa29b44d3829b7",
      "4304c22c84a53755ab08ead8d97a8d429be5efa480682d7ad1da27f73e1fbe1d",
    ],
  ];
  for (const [key, mk, ck] of answers) {
    const keys = chainKeys(decodeHex(key));
    assert.deepEqual([encodeHex(keys.mk), encodeHex(keys.ck)], [mk, ck], key);
    assert.equal(encodeHex(nextChainKey(decodeHex(key))), ck, key);
  }
});

Deno.test("on random keys both MACs equal WebCrypto's, and the key is left as it was", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (key) => {
      const copy = key.slice();
      const keys = chainKeys(key);
      assert.equal(encodeHex(keys.mk), await webCryptoMac(key, 0x01));
      assert.equal(encodeHex(keys.ck), await webCryptoMac(key, 0x02));
      assert.equal(encodeHex(nextChainKey(key)), encodeHex(keys.ck));
      assert.deepEqual(key, copy);
    }),
    { numRuns: 300 },
  );
});

Deno.test("a chain of 500 steps matches WebCrypto's step by step, the results never shared", async () => {
  let ours = decodeHex("8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f");
  let theirs = ours.slice();
  const messageKeys: Uint8Array[] = [];
  for (let i = 0; i < 500; i++) {
    const keys = chainKeys(ours);
    messageKeys.push(keys.mk);
    assert.equal(encodeHex(keys.mk), await webCryptoMac(theirs, 0x01), `message key ${i}`);
    theirs = decodeHex(await webCryptoMac(theirs, 0x02));
    assert.equal(encodeHex(keys.ck), encodeHex(theirs), `chain key ${i}`);
    ours = keys.ck;
  }
  // Every result is its own buffer: later steps did not overwrite earlier keys.
  assert.equal(new Set(messageKeys.map(encodeHex)).size, 500);
  assert.notEqual(messageKeys[0].buffer, messageKeys[1].buffer);
});

Deno.test("a key of any length but 32 bytes is refused", () => {
  for (const length of [0, 16, 31, 33, 64]) {
    assert.throws(() => chainKeys(new Uint8Array(length)), RangeError);
    assert.throws(() => nextChainKey(new Uint8Array(length)), RangeError);
  }
});
