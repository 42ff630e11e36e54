import assert from "node:assert/strict";
import { concatBytes, encodeBase64Url } from "./encoding.ts";
import {
  deriveAccessKey,
  deriveSessionSalt,
  formatInviteLink,
  generateInviteSecret,
  type Invite,
  INVITE_FRAGMENT_LENGTH,
  INVITE_SECRET_BYTES,
  OutdatedInviteError,
  parseInviteFragment,
} from "./invite.ts";

Deno.test("generateInviteSecret() makes distinct 32-byte secrets", () => {
  const a = generateInviteSecret();
  const b = generateInviteSecret();
  assert.equal(a.length, INVITE_SECRET_BYTES);
  assert.notDeepEqual(a, b);
});

function sampleInvite(): Invite {
  return {
    secret: generateInviteSecret(),
    fingerprint: crypto.getRandomValues(new Uint8Array(16)),
  };
}

Deno.test("formatInviteLink() puts the secret and the fingerprint in the fragment only", () => {
  const invite = sampleInvite();
  const link = formatInviteLink(
    "https://chat.example",
    "01JGZ0000000000000000000C0",
    invite,
  );
  const url = new URL(link);
  assert.equal(url.origin, "https://chat.example");
  assert.equal(url.pathname, "/c/01JGZ0000000000000000000C0");
  assert.equal(
    url.hash,
    `#${encodeBase64Url(concatBytes(invite.secret, invite.fingerprint))}`,
  );
  assert.equal(url.hash.length, 1 + INVITE_FRAGMENT_LENGTH);
  assert.deepEqual(parseInviteFragment(url.hash), invite);
  // Short enough for a QR code a phone reads at arm's length.
  assert.ok(link.length < 140, `${link.length} characters`);
});

Deno.test("formatInviteLink() refuses a fingerprint of the wrong size", () => {
  const invite = { ...sampleInvite(), fingerprint: new Uint8Array(32) };
  assert.throws(() => formatInviteLink("https://chat.example", "01J", invite), {
    name: "TypeError",
    message: "Invalid invite fingerprint: expected 16 bytes",
  });
});

Deno.test("parseInviteFragment() accepts the invite with or without #", () => {
  const invite = sampleInvite();
  const text = encodeBase64Url(concatBytes(invite.secret, invite.fingerprint));
  assert.equal(text.length, 64);
  assert.deepEqual(parseInviteFragment(`#${text}`), invite);
  assert.deepEqual(parseInviteFragment(text), invite);
});

Deno.test("parseInviteFragment() says a secret-only link is from an older version", () => {
  const old = encodeBase64Url(generateInviteSecret());
  assert.equal(old.length, 43);
  for (const hash of [`#${old}`, old]) {
    assert.throws(() => parseInviteFragment(hash), (error: unknown) => {
      assert.ok(error instanceof OutdatedInviteError);
      assert.ok(error instanceof TypeError, "still a TypeError, like every bad link");
      assert.match(error.message, /^Invalid invite link: it is from an older version/);
      assert.ok(!error.message.includes(old.slice(2, 20)));
      return true;
    });
  }
});

Deno.test("parseInviteFragment() rejects anything but a 64-character invite", () => {
  const invite = sampleInvite();
  const text = encodeBase64Url(concatBytes(invite.secret, invite.fingerprint));
  const bad = [
    "",
    "#",
    `${text}=`,
    `#${text}x`,
    `#${text}AAAA`,
    `#${text.slice(1)}`,
    `#${text.slice(0, 60)}`,
    `##${text}`,
    `#${text.replace(/./, "+")}`,
    `#${encodeBase64Url(new Uint8Array(16))}`,
    `#${text} `,
  ];
  for (const hash of bad) {
    assert.throws(() => parseInviteFragment(hash), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.ok(!(error instanceof OutdatedInviteError), hash);
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
