import assert from "node:assert/strict";
import { type Bundle, createBundle, verifyBundle } from "../crypto/bundle.ts";
import { verifyEd25519 } from "../crypto/bundle_signing.ts";
import { generateIdentity } from "../crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../crypto/invite.ts";
import { generatePrekeys } from "../crypto/prekeys.ts";
import { verifyEd25519Server } from "./ed25519_verify.ts";

const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));

/** RFC 8032 §7.1, tests 1 and 2. */
const VECTORS = [
  {
    publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature:
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature:
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
];

/** The order of the Ed25519 group. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** `signature` with its S replaced by S + L: the same value, not canonical. */
function withSPlusL(signature: Uint8Array): Uint8Array<ArrayBuffer> {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]);
  s += L;
  const out = signature.slice();
  for (let i = 32; i < 64; i++, s >>= 8n) out[i] = Number(s & 0xffn);
  return out;
}

Deno.test("the server's Ed25519 check accepts the RFC 8032 known answers and refuses them altered", () => {
  for (const vector of VECTORS) {
    const [key, message, signature] = [vector.publicKey, vector.message, vector.signature].map(hex);
    assert.equal(verifyEd25519Server(key, signature, message), true);
    const flipped = signature.slice();
    flipped[5] ^= 1;
    assert.equal(verifyEd25519Server(key, flipped, message), false, "a forged signature");
    assert.equal(
      verifyEd25519Server(key, signature, Uint8Array.of(...message, 0)),
      false,
      "another message",
    );
    const otherKey = hex(
      VECTORS[0].publicKey === vector.publicKey ? VECTORS[1].publicKey : VECTORS[0].publicKey,
    );
    assert.equal(verifyEd25519Server(otherKey, signature, message), false, "another key");
    assert.equal(verifyEd25519Server(key, withSPlusL(signature), message), false, "S + L");
    assert.equal(verifyEd25519Server(key.subarray(1), signature, message), false, "31-byte key");
    assert.equal(verifyEd25519Server(key, signature.subarray(1), message), false, "63-byte sig");
  }
});

Deno.test("the server's Ed25519 check agrees with WebCrypto on real, forged, non-canonical and foreign-key inputs", async () => {
  const webcrypto = async (
    key: Uint8Array,
    signature: Uint8Array<ArrayBuffer>,
    message: Uint8Array<ArrayBuffer>,
  ) => {
    try {
      return await verifyEd25519(key, signature, message);
    } catch {
      return false;
    }
  };
  // A key with y = 2, whatever it decodes to, signed none of these.
  const offCurve = new Uint8Array(32);
  offCurve[0] = 2;
  let agreed = 0;
  for (let i = 0; i < 24; i++) {
    const pair = await crypto.subtle.generateKey("Ed25519", true, [
      "sign",
      "verify",
    ]) as CryptoKeyPair;
    const key = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
    const message = crypto.getRandomValues(new Uint8Array(i * 53));
    const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", pair.privateKey, message));
    const forged = signature.slice();
    forged[i % 64] ^= 1 << (i % 8);
    const cases: [Uint8Array, Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][] = [
      [key, signature, message],
      [key, forged, message],
      [key, withSPlusL(signature), message],
      [offCurve, signature, message],
    ];
    for (const [k, s, m] of cases) {
      assert.equal(verifyEd25519Server(k, s, m), await webcrypto(k, s, m));
      agreed++;
    }
    assert.equal(verifyEd25519Server(key, signature, message), true);
  }
  assert.equal(agreed, 96);
});

Deno.test("verifyBundle() with the server's check accepts real bundles and refuses every swapped key, grafted prekey or forged signature, as with WebCrypto", async () => {
  const make = async () => {
    const access = await deriveAccessKey(generateInviteSecret());
    const identity = await generateIdentity();
    const prekeys = await generatePrekeys("noble");
    const creator = await createBundle(identity, access.privateKey, {
      spkPublic: prekeys.spk.publicKey,
      pqspkPublic: prekeys.pq.publicKey,
    });
    const joiner = await createBundle(await generateIdentity(), access.privateKey);
    return { access, creator, joiner };
  };
  const { access, creator, joiner } = await make();
  const other = await make();
  const check = async (bundle: Bundle, key: Uint8Array) => {
    const server = await verifyBundle(bundle, key, verifyEd25519Server);
    assert.equal(server, await verifyBundle(bundle, key), "the same answer as WebCrypto");
    return server;
  };
  assert.equal(await check(creator, access.publicKey), true);
  assert.equal(await check(joiner, access.publicKey), true);
  for (
    const change of [
      { sign: other.creator.sign },
      { dh: other.creator.dh },
      { spk: other.creator.spk },
      { pqspk: other.creator.pqspk },
      { prekeySig: other.creator.prekeySig },
      { access: other.creator.access },
    ]
  ) {
    assert.equal(await check({ ...creator, ...change }, access.publicKey), false);
  }
  assert.equal(await check(creator, other.access.publicKey), false);
  assert.equal(await check({ ...joiner, access: other.joiner.access }, access.publicKey), false);
  assert.equal(
    await check(
      { ...joiner, spk: creator.spk, pqspk: creator.pqspk, prekeySig: creator.prekeySig },
      access.publicKey,
    ),
    false,
  );
});
