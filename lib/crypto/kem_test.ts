import assert from "node:assert/strict";
import {
  decapsulate,
  detectKemBackend,
  encapsulate,
  generateKemKeyPair,
  type KemBackend,
} from "./kem.ts";

const BACKENDS: KemBackend[] = ["webcrypto", "noble"];

Deno.test("detectKemBackend() prefers WebCrypto where it has ML-KEM-768", async () => {
  assert.equal(await detectKemBackend(), "webcrypto");
  assert.equal(await detectKemBackend(), "webcrypto");
});

Deno.test("detectKemBackend() falls back to noble where WebCrypto has no encapsulateBits", async () => {
  const proto = Object.getPrototypeOf(crypto.subtle);
  const saved = Object.getOwnPropertyDescriptor(proto, "encapsulateBits");
  assert.ok(saved, "this runtime's WebCrypto has encapsulateBits");
  delete proto.encapsulateBits;
  try {
    assert.equal(await detectKemBackend(), "noble");
  } finally {
    Object.defineProperty(proto, "encapsulateBits", saved);
  }
  assert.equal(await detectKemBackend(), "webcrypto");
});

Deno.test("every pair of backends agrees on the shared secret", async () => {
  for (const owner of BACKENDS) {
    const keyPair = await generateKemKeyPair(owner);
    assert.equal(keyPair.backend, owner);
    assert.equal(keyPair.publicKey.length, 1184);
    for (const sender of BACKENDS) {
      const { ciphertext, sharedSecret } = await encapsulate(keyPair.publicKey, sender);
      assert.equal(ciphertext.length, 1088);
      assert.equal(sharedSecret.length, 32);
      assert.deepEqual(
        await decapsulate(keyPair, ciphertext),
        sharedSecret,
        `${sender} to ${owner}`,
      );
    }
  }
});

Deno.test("a WebCrypto private key is non-extractable and a noble one is its 64-byte seed", async () => {
  const web = await generateKemKeyPair("webcrypto");
  assert.ok(web.privateKey instanceof CryptoKey);
  assert.equal(web.privateKey.extractable, false);
  const noble = await generateKemKeyPair("noble");
  assert.ok(noble.privateKey instanceof Uint8Array);
  assert.equal(noble.privateKey.length, 64);
  // The seed is the same format WebCrypto imports, so either backend opens it.
  const { ciphertext, sharedSecret } = await encapsulate(noble.publicKey);
  assert.deepEqual(
    await decapsulate({ backend: "webcrypto", privateKey: noble.privateKey }, ciphertext),
    sharedSecret,
  );
});

Deno.test("a fixed seed gives the same key pair on both backends", async () => {
  const seed = new Uint8Array(64).fill(9);
  const web = await generateKemKeyPair("webcrypto", { seed });
  const noble = await generateKemKeyPair("noble", { seed });
  assert.deepEqual(web.publicKey, noble.publicKey);
  const { ciphertext, sharedSecret } = await encapsulate(web.publicKey, "noble");
  assert.deepEqual(await decapsulate(web, ciphertext), sharedSecret);
});

Deno.test("noble encapsulation with fixed randomness is reproducible", async () => {
  const { publicKey } = await generateKemKeyPair("noble", { seed: new Uint8Array(64) });
  const message = new Uint8Array(32).fill(5);
  const first = await encapsulate(publicKey, "noble", { message });
  const second = await encapsulate(publicKey, "noble", { message });
  assert.deepEqual(first, second);
  await assert.rejects(encapsulate(publicKey, "webcrypto", { message }), {
    name: "TypeError",
    message: 'Cannot encapsulate with fixed randomness: only the "noble" backend accepts it',
  });
});

Deno.test("a tampered ciphertext decapsulates to an unrelated secret on both backends", async () => {
  for (const backend of BACKENDS) {
    const keyPair = await generateKemKeyPair(backend);
    const { ciphertext, sharedSecret } = await encapsulate(keyPair.publicKey, backend);
    ciphertext[100] ^= 1;
    const other = await decapsulate(keyPair, ciphertext);
    assert.equal(other.length, 32);
    assert.notDeepEqual(other, sharedSecret);
  }
});

Deno.test("the KEM functions reject inputs of the wrong size with a TypeError", async () => {
  const keyPair = await generateKemKeyPair("noble");
  await assert.rejects(encapsulate(new Uint8Array(1183)), {
    name: "TypeError",
    message: "Invalid ML-KEM public key: expected 1184 bytes, got 1183",
  });
  await assert.rejects(decapsulate(keyPair, new Uint8Array(1087)), {
    name: "TypeError",
    message: "Invalid ML-KEM ciphertext: expected 1088 bytes, got 1087",
  });
  await assert.rejects(generateKemKeyPair("noble", { seed: new Uint8Array(32) }), TypeError);
  await assert.rejects(
    generateKemKeyPair("other" as KemBackend),
    { name: "TypeError", message: 'Unknown ML-KEM backend "other"' },
  );
  // An encapsulation key whose coefficients are out of range is refused.
  const invalid = new Uint8Array(1184).fill(0xff);
  for (const backend of BACKENDS) {
    await assert.rejects(encapsulate(invalid, backend), TypeError, backend);
  }
});
