import assert from "node:assert/strict";
import { decodeHex, encodeHex } from "../../tests/fixtures/hex.ts";
import { hkdf } from "./kdf.ts";

Deno.test("hkdf() matches RFC 5869 test case A.1", async () => {
  const okm = await hkdf(
    decodeHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
    decodeHex("000102030405060708090a0b0c"),
    decodeHex("f0f1f2f3f4f5f6f7f8f9"),
    42,
  );
  assert.equal(
    encodeHex(okm),
    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf" +
      "34007208d5b887185865",
  );
});

Deno.test("hkdf() rejects a length HKDF-SHA-256 cannot produce", async () => {
  for (const length of [0, -1, 1.5, 8161]) {
    await assert.rejects(
      hkdf(new Uint8Array(32), new Uint8Array(), new Uint8Array(), length),
      RangeError,
    );
  }
});
