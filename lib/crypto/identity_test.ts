import assert from "node:assert/strict";
import { generateIdentity } from "./identity.ts";

Deno.test("generateIdentity() makes non-extractable keys with raw public keys", async () => {
  const identity = await generateIdentity();
  assert.equal(identity.signing.privateKey.extractable, false);
  assert.equal(identity.dh.privateKey.extractable, false);
  await assert.rejects(
    crypto.subtle.exportKey("pkcs8", identity.signing.privateKey),
  );
  await assert.rejects(
    crypto.subtle.exportKey("pkcs8", identity.dh.privateKey),
  );
  assert.equal(identity.signPublic.length, 32);
  assert.equal(identity.dhPublic.length, 32);
  assert.deepEqual(
    new Uint8Array(
      await crypto.subtle.exportKey("raw", identity.signing.publicKey),
    ),
    identity.signPublic,
  );
});

Deno.test("generateIdentity() makes a new identity every time", async () => {
  const a = await generateIdentity();
  const b = await generateIdentity();
  assert.notDeepEqual(a.signPublic, b.signPublic);
  assert.notDeepEqual(a.dhPublic, b.dhPublic);
});
