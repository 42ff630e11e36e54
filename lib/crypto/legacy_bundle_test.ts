import assert from "node:assert/strict";
import { fixedIdentity, fixedSeed } from "../../tests/fixtures/fixed_keys.ts";
import {
  type AnyBundle,
  bundleKeys,
  bundlesEqual,
  parseAnyBundle,
  verifyBundle,
} from "./bundle.ts";
import { encodeBase64Url } from "./encoding.ts";
import { generateIdentity } from "./identity.ts";
import { deriveAccessKey, generateInviteSecret } from "./invite.ts";
import { createLegacyBundle } from "./bundle_signing.ts";
import { parseLegacyBundle } from "./legacy_bundle.ts";

async function setup() {
  const access = await deriveAccessKey(generateInviteSecret());
  const identity = await generateIdentity();
  const bundle = await createLegacyBundle(identity, access.privateKey);
  return { access, identity, bundle };
}

Deno.test("createLegacyBundle() makes a bundle verifyBundle() accepts", async () => {
  const { access, identity, bundle } = await setup();
  assert.equal(bundle.v, 1);
  assert.equal(bundle.sign, encodeBase64Url(identity.signPublic));
  assert.equal(bundle.dh, encodeBase64Url(identity.dhPublic));
  assert.deepEqual(parseAnyBundle(bundle), bundle);
  assert.equal(await verifyBundle(bundle, access.publicKey), true);
  assert.deepEqual(bundleKeys(bundle), {
    signPublic: identity.signPublic,
    dhPublic: identity.dhPublic,
  });
});

Deno.test("verifyBundle() rejects a bundle signed by another access key", async () => {
  const { identity, bundle } = await setup();
  const other = await deriveAccessKey(generateInviteSecret());
  assert.equal(await verifyBundle(bundle, other.publicKey), false);
  const forged = await createLegacyBundle(identity, other.privateKey);
  const { access } = await setup();
  assert.equal(await verifyBundle(forged, access.publicKey), false);
});

Deno.test("verifyBundle() rejects a bundle whose dh or sign key was swapped", async () => {
  const { access, bundle } = await setup();
  const stranger = await generateIdentity();
  const changedDh = { ...bundle, dh: encodeBase64Url(stranger.dhPublic) };
  const changedSign = { ...bundle, sign: encodeBase64Url(stranger.signPublic) };
  assert.equal(await verifyBundle(changedDh, access.publicKey), false);
  assert.equal(await verifyBundle(changedSign, access.publicKey), false);
  // Swapping the two keys must not verify either: they are signed in order.
  const swapped = { ...bundle, sign: bundle.dh, dh: bundle.sign };
  assert.equal(await verifyBundle(swapped, access.publicKey), false);
});

Deno.test("verifyBundle() resolves to false for invalid access keys and signatures", async () => {
  const { access, bundle } = await setup();
  for (
    const key of [
      new Uint8Array(),
      new Uint8Array(31),
      new Uint8Array(33),
      new Uint8Array(32).fill(0xff),
      new Uint8Array(32),
    ]
  ) {
    assert.equal(await verifyBundle(bundle, key), false);
  }
  const zeroSignature = {
    ...bundle,
    access: encodeBase64Url(new Uint8Array(64)),
  };
  assert.equal(await verifyBundle(zeroSignature, access.publicKey), false);
  const shortSignature = { ...bundle, access: "AAAA" };
  assert.equal(await verifyBundle(shortSignature, access.publicKey), false);
});

Deno.test("bundlesEqual() compares every field", async () => {
  const { bundle } = await setup();
  assert.equal(bundlesEqual(bundle, { ...bundle }), true);
  const other = (await setup()).bundle;
  assert.equal(bundlesEqual(bundle, other), false);
  assert.equal(
    bundlesEqual(bundle, { ...bundle, access: other.access }),
    false,
  );
  assert.equal(bundlesEqual(bundle, { ...bundle, dh: other.dh }), false);
});

Deno.test("createLegacyBundle() is deterministic for fixed keys", async () => {
  const access = await deriveAccessKey(new Uint8Array(32));
  const identity = await fixedIdentity(fixedSeed(1), fixedSeed(2));
  assert.deepEqual(
    await createLegacyBundle(identity, access.privateKey),
    await createLegacyBundle(identity, access.privateKey),
  );
});

Deno.test("parseAnyBundle() rejects malformed input with a clear TypeError", async () => {
  const { bundle } = await setup();
  const key32 = encodeBase64Url(new Uint8Array(32));
  const cases: [unknown, RegExp][] = [
    [null, /^Invalid bundle: expected an object$/],
    ["bundle", /^Invalid bundle: expected an object$/],
    [[bundle], /^Invalid bundle: expected an object$/],
    [new Map(), /^Invalid bundle: expected an object$/],
    [
      { sign: bundle.sign, dh: bundle.dh, access: bundle.access },
      /missing key "v"/,
    ],
    [{ ...bundle, v: 3 }, /^Unsupported bundle version 3$/],
    [{ ...bundle, v: "1" }, /^Unsupported bundle version "1"$/],
    [{ ...bundle, extra: 1 }, /^Invalid bundle: unexpected key "extra"$/],
    [{ v: 1, sign: bundle.sign, dh: bundle.dh }, /missing key "access"/],
    [{ ...bundle, sign: 42 }, /"sign" must be a string/],
    [{ ...bundle, dh: null }, /"dh" must be a string/],
    [{ ...bundle, dh: `${key32}=` }, /bundle "dh"/],
    [{ ...bundle, dh: key32.slice(0, 42) }, /bundle "dh"/],
    [
      { ...bundle, sign: encodeBase64Url(new Uint8Array(33)) },
      /^Cannot decode bundle "sign": expected 32 bytes, got 33$/,
    ],
    [
      { ...bundle, access: key32 },
      /^Cannot decode bundle "access": expected 64 bytes, got 32$/,
    ],
    [
      { ...bundle, access: bundle.access.replace(/^./, "+") },
      /bundle "access"/,
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseAnyBundle(value), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("parseAnyBundle() returns a copy that drops nothing it checked", async () => {
  const { bundle } = await setup();
  const input: AnyBundle = JSON.parse(JSON.stringify(bundle));
  const parsed = parseAnyBundle(input);
  assert.notEqual(parsed, input);
  assert.deepEqual(parsed, bundle);
  assert.deepEqual(
    parseAnyBundle(Object.assign(Object.create(null), bundle)),
    bundle,
  );
});

Deno.test("parseLegacyBundle() reads only a legacy bundle, not a current one", async () => {
  const { bundle } = await setup();
  assert.deepEqual(parseLegacyBundle({ ...bundle }), bundle);
  assert.throws(() => parseLegacyBundle({ ...bundle, v: 2 }), {
    name: "TypeError",
    message: "Invalid bundle: expected version 1, got 2",
  });
});
