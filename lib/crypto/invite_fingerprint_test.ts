import assert from "node:assert/strict";
import { decodeHex, encodeHex } from "../../tests/fixtures/hex.ts";
import { encodeBase64Url } from "./encoding.ts";
import {
  bundleFingerprint,
  bundleMatchesFingerprint,
  formatFingerprint,
  INVITE_FINGERPRINT_BYTES,
  inviteFingerprint,
} from "./invite_fingerprint.ts";
import { importSeedKey } from "./seed_key.ts";

// The public keys of RFC 8032 section 7.1 test 1 (Ed25519) and of Alice in
// RFC 7748 section 6.1 (X25519). The expected value was computed apart from
// this code: sha256(b"anon/v2/invite-fingerprint" + sign + dh)[:16] in Python.
const SIGN_PUBLIC = decodeHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const DH_PUBLIC = decodeHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
const EXPECTED = "7409e059e57f091ff983fc2d025d0587";

Deno.test("inviteFingerprint() matches its known answer for fixed keys", async () => {
  const fingerprint = await inviteFingerprint({ signPublic: SIGN_PUBLIC, dhPublic: DH_PUBLIC });
  assert.equal(fingerprint.length, INVITE_FINGERPRINT_BYTES);
  assert.equal(fingerprint.byteLength, fingerprint.buffer.byteLength, "a copy, not a view");
  assert.equal(encodeHex(fingerprint), EXPECTED);
});

Deno.test("bundleFingerprint() gives the same answer from keys made from the RFC seeds", async () => {
  const sign = await importSeedKey(
    "Ed25519",
    decodeHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
  );
  const dh = await importSeedKey(
    "X25519",
    decodeHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
  );
  const fingerprint = await bundleFingerprint({
    sign: encodeBase64Url(sign.publicKey),
    dh: encodeBase64Url(dh.publicKey),
  });
  assert.equal(encodeHex(fingerprint), EXPECTED);
});

Deno.test("inviteFingerprint() changes with either key and with their order", async () => {
  const base = encodeHex(
    await inviteFingerprint({ signPublic: SIGN_PUBLIC, dhPublic: DH_PUBLIC }),
  );
  const swapped = await inviteFingerprint({ signPublic: DH_PUBLIC, dhPublic: SIGN_PUBLIC });
  assert.equal(encodeHex(swapped), "18774fb9af682c966ab1c1e314a68b4a");
  for (const [i, which] of [[0, "sign"], [31, "dh"]] as const) {
    const sign = SIGN_PUBLIC.slice();
    const dh = DH_PUBLIC.slice();
    (which === "sign" ? sign : dh)[i] ^= 1;
    const changed = await inviteFingerprint({ signPublic: sign, dhPublic: dh });
    assert.notEqual(encodeHex(changed), base, `a flipped bit of ${which}`);
  }
});

Deno.test("inviteFingerprint() and bundleFingerprint() reject keys of the wrong size", async () => {
  await assert.rejects(
    inviteFingerprint({ signPublic: new Uint8Array(31), dhPublic: DH_PUBLIC }),
    { name: "TypeError", message: "Invalid signing key: expected 32 bytes" },
  );
  await assert.rejects(
    inviteFingerprint({ signPublic: SIGN_PUBLIC, dhPublic: new Uint8Array(33) }),
    { name: "TypeError", message: "Invalid DH key: expected 32 bytes" },
  );
  await assert.rejects(
    bundleFingerprint({ sign: encodeBase64Url(SIGN_PUBLIC), dh: "AAAA" }),
    TypeError,
  );
});

Deno.test("formatFingerprint() shows 8 groups of 4 hex digits", () => {
  assert.equal(
    formatFingerprint(decodeHex(EXPECTED)),
    "7409 E059 E57F 091F F983 FC2D 025D 0587",
  );
  assert.throws(() => formatFingerprint(new Uint8Array(15)), TypeError);
});

Deno.test("bundleMatchesFingerprint() accepts only the keys the fingerprint was made from", async () => {
  const bundle = { sign: encodeBase64Url(SIGN_PUBLIC), dh: encodeBase64Url(DH_PUBLIC) };
  assert.equal(await bundleMatchesFingerprint(bundle, decodeHex(EXPECTED)), true);
  const other = decodeHex(EXPECTED);
  other[15] ^= 1;
  assert.equal(await bundleMatchesFingerprint(bundle, other), false);
  assert.equal(await bundleMatchesFingerprint(bundle, decodeHex(EXPECTED).slice(0, 8)), false);
  assert.equal(
    await bundleMatchesFingerprint({ ...bundle, dh: "not base64url!" }, decodeHex(EXPECTED)),
    false,
    "a bundle that does not decode never matches",
  );
});
