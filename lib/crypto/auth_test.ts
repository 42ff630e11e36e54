import assert from "node:assert/strict";
import { signAuth, verifyAuth } from "./auth.ts";
import { generateIdentity } from "./identity.ts";

const CONVERSATION_ID = "01JGZ0000000000000000000C0";

Deno.test("signAuth() makes a signature verifyAuth() accepts", async () => {
  const identity = await generateIdentity();
  const nonce = crypto.getRandomValues(new Uint8Array(32));
  const signature = await signAuth(
    identity.signing.privateKey,
    CONVERSATION_ID,
    nonce,
  );
  assert.equal(signature.length, 64);
  assert.equal(
    await verifyAuth(identity.signPublic, CONVERSATION_ID, nonce, signature),
    true,
  );
});

Deno.test("verifyAuth() rejects another nonce, conversation or key", async () => {
  const identity = await generateIdentity();
  const stranger = await generateIdentity();
  const nonce = crypto.getRandomValues(new Uint8Array(32));
  const signature = await signAuth(
    identity.signing.privateKey,
    CONVERSATION_ID,
    nonce,
  );
  const otherNonce = crypto.getRandomValues(new Uint8Array(32));
  assert.equal(
    await verifyAuth(
      identity.signPublic,
      CONVERSATION_ID,
      otherNonce,
      signature,
    ),
    false,
  );
  assert.equal(
    await verifyAuth(
      identity.signPublic,
      "01JGZ0000000000000000000C1",
      nonce,
      signature,
    ),
    false,
  );
  assert.equal(
    await verifyAuth(stranger.signPublic, CONVERSATION_ID, nonce, signature),
    false,
  );
  const flipped = signature.slice();
  flipped[10] ^= 1;
  assert.equal(
    await verifyAuth(identity.signPublic, CONVERSATION_ID, nonce, flipped),
    false,
  );
});

Deno.test("verifyAuth() resolves to false on malformed input", async () => {
  const identity = await generateIdentity();
  const nonce = new Uint8Array(32);
  const signature = await signAuth(
    identity.signing.privateKey,
    CONVERSATION_ID,
    nonce,
  );
  const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
    [new Uint8Array(31), nonce, signature],
    [new Uint8Array(32).fill(0xff), nonce, signature],
    [identity.signPublic, new Uint8Array(31), signature],
    [identity.signPublic, nonce, signature.subarray(0, 63)],
    [identity.signPublic, nonce, new Uint8Array()],
  ];
  for (const [key, badNonce, badSignature] of cases) {
    assert.equal(
      await verifyAuth(key, CONVERSATION_ID, badNonce, badSignature),
      false,
    );
  }
});

Deno.test("signAuth() rejects a nonce that is not 32 bytes", async () => {
  const identity = await generateIdentity();
  await assert.rejects(
    signAuth(identity.signing.privateKey, CONVERSATION_ID, new Uint8Array(16)),
    {
      name: "TypeError",
      message: "Invalid auth challenge: expected a 32-byte nonce, got 16",
    },
  );
});
