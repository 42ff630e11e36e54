import assert from "node:assert/strict";
import { generateIdentity } from "./identity.ts";
import { signPrekeys, verifyPrekeySignature } from "./prekey_signature.ts";
import { generatePrekeys } from "./prekeys.ts";

async function setup() {
  const identity = await generateIdentity();
  const keys = await generatePrekeys("noble");
  const prekeys = { spkPublic: keys.spk.publicKey, pqspkPublic: keys.pq.publicKey };
  const signature = new Uint8Array(await signPrekeys(identity.signing.privateKey, prekeys));
  return { identity, prekeys, signature };
}

Deno.test("verifyPrekeySignature() accepts the identity key's signature over both prekeys, and nothing swapped", async () => {
  const { identity, prekeys, signature } = await setup();
  assert.equal(await verifyPrekeySignature(identity.signPublic, { ...prekeys, signature }), true);
  const other = await setup();
  const swapped = [
    { ...prekeys, spkPublic: other.prekeys.spkPublic, signature },
    { ...prekeys, pqspkPublic: other.prekeys.pqspkPublic, signature },
    { ...prekeys, signature: other.signature },
  ];
  for (const signed of swapped) {
    assert.equal(await verifyPrekeySignature(identity.signPublic, signed), false);
  }
  assert.equal(
    await verifyPrekeySignature(other.identity.signPublic, { ...prekeys, signature }),
    false,
  );
});

Deno.test("signPrekeys() throws at once for a prekey of the wrong length", async () => {
  const { identity, prekeys } = await setup();
  assert.throws(
    () => signPrekeys(identity.signing.privateKey, { ...prekeys, spkPublic: new Uint8Array(31) }),
    { name: "TypeError", message: "Cannot sign bundle: expected a 32-byte signed prekey, got 31" },
  );
  assert.throws(
    () => signPrekeys(identity.signing.privateKey, { ...prekeys, pqspkPublic: new Uint8Array(8) }),
    {
      name: "TypeError",
      message: "Cannot sign bundle: expected a 1184-byte ML-KEM signed prekey, got 8",
    },
  );
});
