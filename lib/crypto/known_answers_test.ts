// Known-answer tests of the WebCrypto primitives the protocol relies on, so a
// runtime with a broken or different implementation fails loudly.
import assert from "node:assert/strict";
import { decodeHex, encodeHex } from "../../tests/fixtures/hex.ts";
import { importSeedKey, seedToPkcs8 } from "./seed_key.ts";

Deno.test("X25519 matches RFC 7748 section 6.1", async () => {
  const alicePrivate = decodeHex(
    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
  );
  const bobPrivate = decodeHex(
    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
  );
  const pkcs8Prefix = "302e020100300506032b656e04220420";
  assert.equal(
    encodeHex(seedToPkcs8("X25519", alicePrivate)),
    pkcs8Prefix + encodeHex(alicePrivate),
  );
  const alice = await importSeedKey("X25519", alicePrivate);
  const bob = await importSeedKey("X25519", bobPrivate);
  assert.equal(
    encodeHex(alice.publicKey),
    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
  );
  assert.equal(
    encodeHex(bob.publicKey),
    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
  );
  const bobPublicKey = await crypto.subtle.importKey(
    "raw",
    bob.publicKey,
    "X25519",
    true,
    [],
  );
  const shared = await crypto.subtle.deriveBits(
    { name: "X25519", public: bobPublicKey },
    alice.privateKey,
    256,
  );
  assert.equal(
    encodeHex(shared),
    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
  );
});

Deno.test("Ed25519 matches RFC 8032 section 7.1 test 1", async () => {
  const secret = decodeHex(
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
  );
  assert.equal(
    encodeHex(seedToPkcs8("Ed25519", secret)),
    "302e020100300506032b657004220420" + encodeHex(secret),
  );
  const key = await importSeedKey("Ed25519", secret);
  assert.equal(
    encodeHex(key.publicKey),
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
  );
  const signature = await crypto.subtle.sign(
    "Ed25519",
    key.privateKey,
    new Uint8Array(),
  );
  const expected = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" +
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
  assert.equal(encodeHex(signature), expected);
  const publicKey = await crypto.subtle.importKey(
    "raw",
    key.publicKey,
    "Ed25519",
    true,
    ["verify"],
  );
  assert.equal(
    await crypto.subtle.verify(
      "Ed25519",
      publicKey,
      decodeHex(expected),
      new Uint8Array(),
    ),
    true,
  );
});

Deno.test("AES-256-GCM matches test case 14 of the GCM specification", async () => {
  const key = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(32),
    "AES-GCM",
    false,
    ["encrypt", "decrypt"],
  );
  const output = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: new Uint8Array(12), tagLength: 128 },
    key,
    new Uint8Array(16),
  );
  assert.equal(
    encodeHex(output),
    "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919",
  );
});

Deno.test("importSeedKey() returns a non-extractable private key", async () => {
  const key = await importSeedKey("Ed25519", new Uint8Array(32));
  assert.equal(key.privateKey.extractable, false);
  await assert.rejects(crypto.subtle.exportKey("pkcs8", key.privateKey));
  assert.throws(
    () => seedToPkcs8("Ed25519", new Uint8Array(31)),
    {
      name: "TypeError",
      message: "Cannot import Ed25519 seed: expected 32 bytes, got 31",
    },
  );
});
