/**
 * What making and checking bundle signatures shares, for both formats: the
 * lengths of the keys a bundle signs, Ed25519 verification, and the bytes a
 * legacy bundle's access signature covers (new conversations never make
 * one; tests make them as an older version did). Loaded only where a bundle
 * is made or checked, never by an open conversation.
 *
 * @module
 */

import { concatBytes, encodeBase64Url, utf8 } from "./encoding.ts";
import type { Identity } from "./identity.ts";
import type { LegacyBundle } from "./legacy_bundle.ts";

/** Throws `TypeError` unless `bytes` is a key of `length` bytes, before anything is signed. */
export function checkKeyLength(bytes: Uint8Array, length: number, name: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new TypeError(
      `Cannot sign bundle: expected a ${length}-byte ${name}, got ${bytes?.length}`,
    );
  }
}

/**
 * An Ed25519 signature check: true when `signature` by `publicKey` over
 * `message` verifies. It may reject or throw for a key that is not a valid
 * point; callers count that as a failed check.
 */
export type Ed25519Verify = (
  publicKey: Uint8Array,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
) => Promise<boolean> | boolean;

/** Verifies an Ed25519 signature with WebCrypto; rejects if `publicKey` is not a valid point. */
export async function verifyEd25519(
  publicKey: Uint8Array,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    "raw",
    publicKey.slice(),
    "Ed25519",
    false,
    ["verify"],
  );
  return await crypto.subtle.verify("Ed25519", key, signature, message);
}

/** The domain separator in front of the signed public keys. */
export const LEGACY_BUNDLE_CONTEXT = "anon/v1/bundle";

/** Signs an identity's public keys with the access key into a bundle. */
export async function createLegacyBundle(
  identity: Pick<Identity, "signPublic" | "dhPublic">,
  accessPrivateKey: CryptoKey,
): Promise<LegacyBundle> {
  const message = legacyBundleMessage(identity.signPublic, identity.dhPublic);
  const signature = await crypto.subtle.sign(
    "Ed25519",
    accessPrivateKey,
    message,
  );
  return {
    v: 1,
    sign: encodeBase64Url(identity.signPublic),
    dh: encodeBase64Url(identity.dhPublic),
    access: encodeBase64Url(new Uint8Array(signature)),
  };
}

/** The bytes the access key signs in a legacy bundle. */
export function legacyBundleMessage(
  signPublic: Uint8Array,
  dhPublic: Uint8Array,
): Uint8Array<ArrayBuffer> {
  if (signPublic.length !== 32 || dhPublic.length !== 32) {
    throw new TypeError(
      `Cannot sign bundle: expected 32-byte public keys, got ${signPublic.length} and ${dhPublic.length}`,
    );
  }
  return concatBytes(utf8(LEGACY_BUNDLE_CONTEXT), signPublic, dhPublic);
}
