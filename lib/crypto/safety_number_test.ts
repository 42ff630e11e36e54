import assert from "node:assert/strict";
import { CREATOR_ID, JOINER_ID, makeSessionPair } from "../../tests/fixtures/session_pair.ts";
import { createBundle } from "./bundle.ts";
import { utf8 } from "./encoding.ts";
import { generateIdentity } from "./identity.ts";
import { deriveAccessKey } from "./invite.ts";
import {
  fingerprintDigits,
  formatSafetyNumber,
  safetyNumber,
  safetyNumberKey,
} from "./safety_number.ts";

Deno.test("both participants see the same 60-digit safety number", async () => {
  const pair = await makeSessionPair();
  const creatorKey = safetyNumberKey(pair.creatorBundle);
  const joinerKey = safetyNumberKey(pair.joinerBundle);
  assert.deepEqual(
    creatorKey,
    new Uint8Array([...pair.creator.signPublic, ...pair.creator.dhPublic]),
  );
  const mine = await safetyNumber({
    ownKey: creatorKey,
    ownId: CREATOR_ID,
    peerKey: joinerKey,
    peerId: JOINER_ID,
  });
  const theirs = await safetyNumber({
    ownKey: joinerKey,
    ownId: JOINER_ID,
    peerKey: creatorKey,
    peerId: CREATOR_ID,
  });
  assert.match(mine, /^\d{60}$/);
  assert.equal(mine, theirs);
  assert.equal(formatSafetyNumber(mine).join(""), mine);
});

Deno.test("the safety number changes when either identity key changes", async () => {
  const pair = await makeSessionPair();
  const access = await deriveAccessKey(pair.secret);
  const impostor = await createBundle(await generateIdentity(), access.privateKey);
  const creatorKey = safetyNumberKey(pair.creatorBundle);
  const real = await safetyNumber({
    ownKey: creatorKey,
    ownId: CREATOR_ID,
    peerKey: safetyNumberKey(pair.joinerBundle),
    peerId: JOINER_ID,
  });
  const swapped = await safetyNumber({
    ownKey: creatorKey,
    ownId: CREATOR_ID,
    peerKey: safetyNumberKey(impostor),
    peerId: JOINER_ID,
  });
  assert.notEqual(real, swapped);
  // The first 30 digits belong to one side, the last 30 to the other.
  const halves = [real.slice(0, 30), real.slice(30)];
  assert.ok(halves.includes(await fingerprintDigits(creatorKey, utf8(CREATOR_ID))));
});

Deno.test("fingerprintDigits() depends on the version and iteration count", async () => {
  const key = new Uint8Array(64).fill(1);
  const id = utf8("someone");
  const base = await fingerprintDigits(key, id, 10);
  assert.match(base, /^\d{30}$/);
  assert.notEqual(await fingerprintDigits(key, id, 11), base);
  assert.notEqual(await fingerprintDigits(key, id, 10, 1), base);
  await assert.rejects(fingerprintDigits(key, id, 0), RangeError);
  await assert.rejects(fingerprintDigits(key, id, 10, 65536), RangeError);
});

Deno.test("formatSafetyNumber() makes 12 groups of 5 digits and refuses anything else", () => {
  const digits = "0123456789".repeat(6);
  assert.deepEqual(formatSafetyNumber(digits), [
    "01234",
    "56789",
    "01234",
    "56789",
    "01234",
    "56789",
    "01234",
    "56789",
    "01234",
    "56789",
    "01234",
    "56789",
  ]);
  for (const bad of ["", digits.slice(1), digits + "0", digits.replace("0", "a")]) {
    assert.throws(() => formatSafetyNumber(bad), {
      name: "TypeError",
      message: "Invalid safety number: expected 60 digits",
    });
  }
});
