import assert from "node:assert/strict";
import { encodeBase64Url } from "./encoding.ts";
import {
  deriveAccessKey,
  deriveSessionSalt,
  formatInviteLink,
  generateInviteSecret,
  INVITE_SECRET_BYTES,
  parseInviteFragment,
} from "./invite.ts";

Deno.test("generateInviteSecret() makes distinct 32-byte secrets", () => {
  const a = generateInviteSecret();
  const b = generateInviteSecret();
  assert.equal(a.length, INVITE_SECRET_BYTES);
  assert.notDeepEqual(a, b);
});

Deno.test("formatInviteLink() puts the secret in the fragment only", () => {
  const secret = generateInviteSecret();
  const link = formatInviteLink(
    "https://chat.example",
    "01JGZ0000000000000000000C0",
    secret,
  );
  const url = new URL(link);
  assert.equal(url.origin, "https://chat.example");
  assert.equal(url.pathname, "/c/01JGZ0000000000000000000C0");
  assert.equal(url.hash, `#${encodeBase64Url(secret)}`);
  assert.deepEqual(parseInviteFragment(url.hash), secret);
});

Deno.test("parseInviteFragment() accepts the secret with or without #", () => {
  const secret = generateInviteSecret();
  const text = encodeBase64Url(secret);
  assert.equal(text.length, 43);
  assert.deepEqual(parseInviteFragment(`#${text}`), secret);
  assert.deepEqual(parseInviteFragment(text), secret);
});

Deno.test("parseInviteFragment() rejects anything but a 43-character secret", () => {
  const text = encodeBase64Url(generateInviteSecret());
  const bad = [
    "",
    "#",
    `${text}=`,
    `#${text}x`,
    `#${text.slice(1)}`,
    `##${text}`,
    `#${text.replace(/./, "+")}`,
    `#${encodeBase64Url(new Uint8Array(16))}`,
    `#${text} `,
  ];
  for (const hash of bad) {
    assert.throws(() => parseInviteFragment(hash), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^Invalid invite link: /);
      // The secret must never end up in logs through an error message.
      assert.ok(!error.message.includes(text.slice(2, 20)));
      return true;
    });
  }
});

Deno.test("deriveAccessKey() is deterministic and signs with the returned public key", async () => {
  const secret = generateInviteSecret();
  const first = await deriveAccessKey(secret);
  const second = await deriveAccessKey(secret.slice());
  assert.deepEqual(first.publicKey, second.publicKey);
  assert.equal(first.publicKey.length, 32);
  assert.equal(first.privateKey.extractable, false);
  const message = new TextEncoder().encode("probe");
  const signature = await crypto.subtle.sign(
    "Ed25519",
    first.privateKey,
    message,
  );
  const publicKey = await crypto.subtle.importKey(
    "raw",
    first.publicKey,
    "Ed25519",
    false,
    ["verify"],
  );
  assert.equal(
    await crypto.subtle.verify("Ed25519", publicKey, signature, message),
    true,
  );
  const other = await deriveAccessKey(generateInviteSecret());
  assert.notDeepEqual(other.publicKey, first.publicKey);
});

Deno.test("deriveSessionSalt() differs from the access seed domain and per secret", async () => {
  const secret = generateInviteSecret();
  const salt = await deriveSessionSalt(secret);
  assert.equal(salt.length, 32);
  assert.deepEqual(await deriveSessionSalt(secret), salt);
  assert.notDeepEqual(await deriveSessionSalt(generateInviteSecret()), salt);
  assert.notDeepEqual((await deriveAccessKey(secret)).publicKey, salt);
});

Deno.test("deriveAccessKey() rejects a secret of the wrong size", async () => {
  await assert.rejects(deriveAccessKey(new Uint8Array(31)), {
    name: "TypeError",
    message: "Invalid invite secret: expected 32 bytes, got 31",
  });
  await assert.rejects(deriveSessionSalt(new Uint8Array(33)), TypeError);
});
