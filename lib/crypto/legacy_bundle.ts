/**
 * The legacy participant bundle (`v: 1`): identity keys only, signed by the
 * access key. New conversations never make one; it is still read, so a
 * conversation stored by an older version keeps its record. Its signature
 * is made and checked in `bundle_signing.ts`.
 *
 * @module
 */

import { bundleField, checkBundleKeys } from "./bundle_fields.ts";

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

const LEGACY_BUNDLE_KEYS = ["v", "sign", "dh", "access"];

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
