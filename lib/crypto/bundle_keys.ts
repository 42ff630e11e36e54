/**
 * A bundle's keys as bytes: a new participant's bundle checked further, and
 * the raw keys a handshake or the safety number needs. Kept apart from
 * `bundle_format.ts`, which every open conversation loads.
 *
 * @module
 */

import {
  type AnyBundle,
  type Bundle,
  parseAnyBundle,
  PQSPK_BYTES,
  SPK_BYTES,
} from "./bundle_format.ts";
import { assertNotSmallOrder } from "./ed25519_key_check.ts";
import { decodeBase64Url } from "./encoding.ts";
import type { BundlePrekeys } from "./prekey_signature.ts";

/**
 * Like {@linkcode parseAnyBundle}, but for a new participant: accepts only
 * current bundles, so a conversation started by an older version fails with a
 * clear message, and refuses a small-order `sign` key with a
 * `SmallOrderKeyError` (see `ed25519_key_check.ts`).
 */
export function parseBundle(value: unknown): Bundle {
  const bundle = parseAnyBundle(value);
  if (bundle.v !== 2) {
    throw new TypeError(
      "Unsupported bundle version 1: this conversation was made with an older version",
    );
  }
  assertNotSmallOrder(decodeBase64Url(bundle.sign, { length: 32 }), 'bundle "sign"');
  return bundle;
}

/** Tells whether a bundle carries signed prekeys (the creator's). */
export function hasPrekeys(
  bundle: Bundle,
): bundle is Bundle & Required<Pick<Bundle, "spk" | "pqspk" | "prekeySig">> {
  return bundle.spk !== undefined && bundle.pqspk !== undefined &&
    bundle.prekeySig !== undefined;
}

/** Decodes a bundle's raw public keys, for callers that need bytes. */
export function bundleKeys(
  bundle: AnyBundle,
): { signPublic: Uint8Array<ArrayBuffer>; dhPublic: Uint8Array<ArrayBuffer> } {
  return {
    signPublic: decodeBase64Url(bundle.sign, { length: 32, name: "sign" }),
    dhPublic: decodeBase64Url(bundle.dh, { length: 32, name: "dh" }),
  };
}

/**
 * Decodes the raw prekeys of a creator's bundle. Throws `TypeError`
 * if the bundle has none.
 */
export function bundlePrekeys(bundle: Bundle): BundlePrekeys {
  if (!hasPrekeys(bundle)) {
    throw new TypeError("Invalid bundle: it carries no signed prekeys");
  }
  return {
    spkPublic: decodeBase64Url(bundle.spk, { length: SPK_BYTES, name: "spk" }),
    pqspkPublic: decodeBase64Url(bundle.pqspk, {
      length: PQSPK_BYTES,
      name: "pqspk",
    }),
  };
}
