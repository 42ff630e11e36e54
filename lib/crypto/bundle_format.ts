/**
 * The participant bundle's format: its fields, parsing untrusted input into
 * one and comparing two, which every open conversation runs on the server's
 * record. Decoding a bundle's keys is `bundle_keys.ts`, for a handshake, a
 * new participant and the safety number; making and verifying the
 * signatures is `bundle.ts` (which re-exports both), loaded only where a
 * bundle is made or a new participant is checked.
 *
 * @module
 */

import { bundleField, checkBundleKeys, isPlainObject } from "./bundle_fields.ts";
import { type LegacyBundle, parseLegacyBundle } from "./legacy_bundle.ts";

/** Bytes of the X25519 signed prekey. */
export const SPK_BYTES = 32;
/** Bytes of the ML-KEM-768 signed prekey. */
export const PQSPK_BYTES = 1184;

/**
 * A participant bundle, all base64url. The creator's bundle carries
 * the three prekey fields; the joiner's has none of them.
 */
export interface Bundle {
  /** The bundle format version. */
  v: 2;
  /** The 32-byte Ed25519 identity signing public key. */
  sign: string;
  /** The 32-byte X25519 identity public key. */
  dh: string;
  /** The 32-byte X25519 signed prekey. */
  spk?: string;
  /** The 1184-byte ML-KEM-768 signed prekey. */
  pqspk?: string;
  /** The 64-byte Ed25519 signature by `sign` over the two prekeys. */
  prekeySig?: string;
  /** The 64-byte Ed25519 signature by the access key over every key. */
  access: string;
}

/** A participant's public keys as sent over the wire, in either version. */
export type AnyBundle = LegacyBundle | Bundle;

const BUNDLE_KEYS = ["v", "sign", "dh", "spk", "pqspk", "prekeySig", "access"];
/** The three fields only a creator's bundle carries. */
export const PREKEY_FIELDS = ["spk", "pqspk", "prekeySig"] as const;

/**
 * Checks untrusted input is a well-formed bundle of either version and
 * returns a clean copy. Signatures are not verified here: see
 * `verifyBundle` of `bundle.ts`.
 */
export function parseAnyBundle(value: unknown): AnyBundle {
  if (!isPlainObject(value)) {
    throw new TypeError("Invalid bundle: expected an object");
  }
  // The version comes first so a future format reports itself clearly.
  if (!Object.hasOwn(value, "v")) {
    throw new TypeError('Invalid bundle: missing key "v"');
  }
  if (value.v === 2) return parseCurrent(value);
  if (value.v !== 1) {
    throw new TypeError(
      `Unsupported bundle version ${JSON.stringify(value.v) ?? "undefined"}`,
    );
  }
  return parseLegacyBundle(value);
}

/** Tells whether two bundles carry the same version, keys and signatures. */
export function bundlesEqual(a: AnyBundle, b: AnyBundle): boolean {
  // Canonical base64url makes string equality the same as byte equality.
  if (a.v !== b.v || a.sign !== b.sign || a.dh !== b.dh || a.access !== b.access) {
    return false;
  }
  if (a.v === 2 && b.v === 2) {
    return PREKEY_FIELDS.every((key) => a[key] === b[key]);
  }
  return true;
}

function parseCurrent(value: Record<string, unknown>): Bundle {
  checkBundleKeys(value, BUNDLE_KEYS);
  const sign = bundleField(value, "sign", 32);
  const dh = bundleField(value, "dh", 32);
  const present = PREKEY_FIELDS.filter((key) => Object.hasOwn(value, key));
  if (present.length === 0) {
    const access = bundleField(value, "access", 64);
    return { v: 2, sign, dh, access };
  }
  if (present.length !== PREKEY_FIELDS.length) {
    const missing = PREKEY_FIELDS.find((key) => !present.includes(key));
    throw new TypeError(
      `Invalid bundle: "spk", "pqspk" and "prekeySig" go together, missing key "${missing}"`,
    );
  }
  const spk = bundleField(value, "spk", SPK_BYTES);
  const pqspk = bundleField(value, "pqspk", PQSPK_BYTES);
  const prekeySig = bundleField(value, "prekeySig", 64);
  const access = bundleField(value, "access", 64);
  return { v: 2, sign, dh, spk, pqspk, prekeySig, access };
}
