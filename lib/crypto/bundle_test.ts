import assert from "node:assert/strict";
import {
  type Bundle,
  bundlePrekeys,
  bundlesEqual,
  createBundle,
  hasPrekeys,
  parseAnyBundle,
  parseBundle,
  verifyBundle,
} from "./bundle.ts";
import { encodeBase64Url } from "./encoding.ts";
import { generateIdentity } from "./identity.ts";
import { deriveAccessKey, generateInviteSecret } from "./invite.ts";
import { createLegacyBundle } from "./bundle_signing.ts";
import { generatePrekeys } from "./prekeys.ts";

async function setup() {
  const access = await deriveAccessKey(generateInviteSecret());
  const identity = await generateIdentity();
  const prekeys = await generatePrekeys("noble");
  const creator = await createBundle(identity, access.privateKey, {
    spkPublic: prekeys.spk.publicKey,
    pqspkPublic: prekeys.pq.publicKey,
  });
  const joiner = await createBundle(identity, access.privateKey);
  return { access, identity, prekeys, creator, joiner };
}

Deno.test("createBundle() makes creator and joiner bundles verifyBundle() accepts", async () => {
  const { access, identity, prekeys, creator, joiner } = await setup();
  assert.equal(creator.v, 2);
  assert.equal(creator.sign, encodeBase64Url(identity.signPublic));
  assert.equal(creator.spk, encodeBase64Url(prekeys.spk.publicKey));
  assert.equal(creator.pqspk, encodeBase64Url(prekeys.pq.publicKey));
  assert.equal(hasPrekeys(creator), true);
  assert.deepEqual(Object.keys(joiner).sort(), ["access", "dh", "sign", "v"]);
  assert.equal(hasPrekeys(joiner), false);
  for (const bundle of [creator, joiner]) {
    assert.deepEqual(parseAnyBundle(bundle), bundle);
    assert.deepEqual(parseBundle(JSON.parse(JSON.stringify(bundle))), bundle);
    assert.equal(await verifyBundle(bundle, access.publicKey), true);
  }
  assert.deepEqual(bundlePrekeys(creator), {
    spkPublic: prekeys.spk.publicKey,
    pqspkPublic: prekeys.pq.publicKey,
  });
});

Deno.test("verifyBundle() rejects a v2 bundle with any key swapped or signature forged", async () => {
  const { access, creator, joiner } = await setup();
  const other = await setup();
  const changes: Partial<Bundle>[] = [
    { sign: other.creator.sign },
    { dh: other.creator.dh },
    { spk: other.creator.spk },
    { pqspk: other.creator.pqspk },
    { prekeySig: other.creator.prekeySig },
    { access: other.creator.access },
  ];
  for (const change of changes) {
    assert.equal(await verifyBundle({ ...creator, ...change }, access.publicKey), false);
  }
  assert.equal(await verifyBundle(creator, other.access.publicKey), false);
  // Dropping the prekeys, or moving them onto the joiner, breaks the signatures.
  assert.equal(
    await verifyBundle(
      { v: 2, sign: creator.sign, dh: creator.dh, access: creator.access },
      access.publicKey,
    ),
    false,
  );
  assert.equal(
    await verifyBundle(
      { ...joiner, spk: creator.spk, pqspk: creator.pqspk, prekeySig: creator.prekeySig },
      access.publicKey,
    ),
    false,
  );
  // A v1 signature does not verify as v2, nor the other way round.
  const v1 = await createLegacyBundle(other.identity, other.access.privateKey);
  assert.equal(await verifyBundle({ ...v1, v: 2 } as Bundle, other.access.publicKey), false);
  assert.equal(
    await verifyBundle({ ...other.joiner, v: 1 } as never, other.access.publicKey),
    false,
  );
});

Deno.test("verifyBundle() rejects prekeys signed by a key other than the bundle's identity", async () => {
  const { access, prekeys } = await setup();
  const mallory = await generateIdentity();
  const victim = await generateIdentity();
  // Mallory knows the invite, signs her prekeys, and grafts them onto the victim's keys.
  const forged = await createBundle(mallory, access.privateKey, {
    spkPublic: prekeys.spk.publicKey,
    pqspkPublic: prekeys.pq.publicKey,
  });
  const grafted = await createBundle(victim, access.privateKey);
  const bundle = { ...grafted, spk: forged.spk, pqspk: forged.pqspk, prekeySig: forged.prekeySig };
  assert.equal(await verifyBundle(bundle, access.publicKey), false);
});

Deno.test("parseBundle() refuses a legacy bundle with a clear message", async () => {
  const { access, identity } = await setup();
  const v1 = await createLegacyBundle(identity, access.privateKey);
  assert.deepEqual(parseAnyBundle(v1), v1);
  assert.throws(() => parseBundle(v1), {
    name: "TypeError",
    message: "Unsupported bundle version 1: this conversation was made with an older version",
  });
});

Deno.test("parseAnyBundle() rejects malformed v2 bundles with a clear TypeError", async () => {
  const { creator, joiner } = await setup();
  const { spk: _spk, ...noSpk } = creator;
  const { prekeySig: _sig, ...noSig } = creator;
  const cases: [unknown, RegExp][] = [
    [noSpk, /"spk", "pqspk" and "prekeySig" go together, missing key "spk"/],
    [noSig, /missing key "prekeySig"/],
    [{ ...joiner, spk: creator.spk }, /go together/],
    [
      { ...creator, pqspk: creator.spk },
      /^Cannot decode bundle "pqspk": expected 1184 bytes, got 32$/,
    ],
    [{ ...creator, prekeySig: 7 }, /"prekeySig" must be a string/],
    [{ ...creator, extra: "" }, /^Invalid bundle: unexpected key "extra"$/],
    [{ ...joiner, access: undefined }, /"access" must be a string/],
    [{ v: 2, sign: joiner.sign, dh: joiner.dh }, /missing key "access"/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseAnyBundle(value), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("bundlesEqual() compares every v2 field and the version", async () => {
  const { creator, joiner } = await setup();
  const other = (await setup()).creator;
  assert.equal(bundlesEqual(creator, { ...creator }), true);
  assert.equal(bundlesEqual(creator, joiner), false);
  for (const key of ["spk", "pqspk", "prekeySig"] as const) {
    assert.equal(bundlesEqual(creator, { ...creator, [key]: other[key] }), false, key);
  }
  assert.equal(bundlesEqual(joiner, { ...joiner, v: 1 } as never), false);
});

/** The identity point, a small-order key: `R = B, s = 1` "signs" anything under it. */
const IDENTITY_POINT = new Uint8Array(32).fill(0, 1).fill(1, 0, 1);
const FORGED_SIGNATURE = new Uint8Array(64);
FORGED_SIGNATURE.set([0x58, ...new Array(31).fill(0x66)]);
FORGED_SIGNATURE[32] = 1;

Deno.test("parseBundle() and verifyBundle() refuse a small-order sign key", async () => {
  const { access, identity } = await setup();
  // A genuine access signature over a small-order signing key.
  const joiner = await createBundle(
    { ...identity, signPublic: IDENTITY_POINT },
    access.privateKey,
  );
  assert.throws(() => parseBundle(joiner), {
    name: "SmallOrderKeyError",
    message: 'Invalid bundle "sign": a small-order Ed25519 public key is not allowed',
  });
  assert.equal(await verifyBundle(joiner, access.publicKey), false);
  // A creator bundle whose prekey signature is forged under that key.
  const prekeys = await generatePrekeys("noble");
  const creator = await createBundle(
    { ...identity, signPublic: IDENTITY_POINT },
    access.privateKey,
    { spkPublic: prekeys.spk.publicKey, pqspkPublic: prekeys.pq.publicKey },
  );
  const forged = { ...creator, prekeySig: encodeBase64Url(FORGED_SIGNATURE) };
  assert.throws(() => parseBundle(forged), { name: "SmallOrderKeyError" });
  assert.equal(await verifyBundle(forged, access.publicKey), false);
});

Deno.test("verifyBundle() refuses a small-order access key whose forged signature would verify", async () => {
  const { joiner } = await setup();
  const forged = { ...joiner, access: encodeBase64Url(FORGED_SIGNATURE) };
  assert.equal(await verifyBundle(forged, IDENTITY_POINT), false);
  assert.equal(await verifyBundle(forged, new Uint8Array(32)), false);
});

Deno.test("parseAnyBundle() refuses a key that is padded, outside the alphabet or not canonical, naming the field", async () => {
  const { creator } = await setup();
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // 32 bytes are 43 characters: the last one's two low bits are unused and must be zero.
  const last = ALPHABET.indexOf(creator.sign.at(-1)!);
  const nonCanonical = creator.sign.slice(0, -1) + ALPHABET[last | 1];
  const cases: [Partial<Bundle>, RegExp][] = [
    [{ sign: nonCanonical }, /^Cannot decode bundle "sign": not canonical base64url$/],
    [{ dh: `${creator.dh}=` }, /^Cannot decode bundle "dh": only unpadded base64url/],
    [
      { pqspk: `${creator.pqspk!.slice(0, 100)}+${creator.pqspk!.slice(101)}` },
      /^Cannot decode bundle "pqspk": only unpadded base64url/,
    ],
    [{ access: creator.access.slice(1) }, /^Cannot decode bundle "access": invalid length 85$/],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => parseAnyBundle({ ...creator, ...change }), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});
