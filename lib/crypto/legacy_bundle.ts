/**
 * The legacy participant bundle (`v: 1`): identity keys only, signed by the
 * access key. New conversations never make one; it is still read, so a
 * conversation stored by an older version keeps its record.
 *
 * @module
 */

import { bundleField, checkBundleKeys } from "./bundle_fields.ts";
import { concatBytes, encodeBase64Url, utf8 } from "./encoding.ts";
import type { Identity } from "./identity.ts";

/** A legacy participant bundle, all base64url. */
export interface LegacyBundle {
  /** The bundle format version. */
  v: 1;
  /** The 32-byte Ed25519 signing public key. */
  sign: string;
  /** The 32-byte X25519 public key. */
  dh: string;
  /** The 64-byte Ed25519 signature by the access key over the keys. */
  access: string;
}

/** The domain separator in front of the signed public keys. */
export const LEGACY_BUNDLE_CONTEXT = "anon/v1/bundle";

const LEGACY_BUNDLE_KEYS = ["v", "sign", "dh", "access"];

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

/**
 * Checks an untrusted object is a well-formed legacy bundle and returns a
 * clean copy. Signatures are not verified here. `parseAnyBundle()` in
 * `bundle.ts` reads input of either version.
 */
export function parseLegacyBundle(value: Record<string, unknown>): LegacyBundle {
  if (value.v !== 1) {
    throw new TypeError(`Invalid bundle: expected version 1, got ${JSON.stringify(value.v)}`);
  }
  checkBundleKeys(value, LEGACY_BUNDLE_KEYS);
  const sign = bundleField(value, "sign", 32);
  const dh = bundleField(value, "dh", 32);
  const access = bundleField(value, "access", 64);
  return { v: 1, sign, dh, access };
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
