/**
 * The safety number: Signal's 60-digit displayable fingerprint. Each side's
 * 30 digits come from an iterated SHA-512 of its public key and stable ID;
 * the two halves are sorted, so both participants see the same number.
 *
 * @module
 */

import type { AnyBundle } from "./bundle_format.ts";
import { bundleKeys } from "./bundle_keys.ts";
import { concatBytes, utf8 } from "./encoding.ts";

/** Signal's iteration count for displayable fingerprints. */
export const FINGERPRINT_ITERATIONS = 5200;

/** Inputs of {@linkcode safetyNumber}: both participants' keys and IDs. */
export interface SafetyNumberOptions {
  /** This participant's key: `sign ‖ dh`, see {@linkcode safetyNumberKey}. */
  ownKey: Uint8Array;
  /** This participant's ID. */
  ownId: string;
  /** The peer's key: `sign ‖ dh`. */
  peerKey: Uint8Array;
  /** The peer's ID. */
  peerId: string;
}

/**
 * One side's 30 digits, exactly as libsignal computes them: start from
 * `hash = version (2 bytes BE) ‖ publicKey ‖ stableId`, then `iterations`
 * times `hash = SHA-512(hash ‖ publicKey)`; the first 30 bytes of the last
 * hash make six 5-byte big-endian numbers, each mod 100000 as 5 digits.
 */
export async function fingerprintDigits(
  publicKey: Uint8Array,
  stableId: Uint8Array,
  iterations: number = FINGERPRINT_ITERATIONS,
  version = 0,
): Promise<string> {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(
      `Cannot compute fingerprint with ${iterations} iterations: expected a positive integer`,
    );
  }
  if (!Number.isInteger(version) || version < 0 || version > 0xffff) {
    throw new RangeError(
      `Cannot compute fingerprint version ${version}: expected 0 to 65535`,
    );
  }
  const versionBytes = Uint8Array.of(version >> 8, version & 0xff);
  // As in libsignal, the first round hashes version ‖ key ‖ id ‖ key: the
  // starting value is the plain concatenation, not a hash of it.
  let hash: Uint8Array = concatBytes(versionBytes, publicKey, stableId);
  for (let i = 0; i < iterations; i++) {
    hash = new Uint8Array(
      await crypto.subtle.digest("SHA-512", concatBytes(hash, publicKey)),
    );
  }
  let digits = "";
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    // 5 bytes fit exactly in a double: below 2^40.
    for (let i = 0; i < 5; i++) value = value * 256 + hash[chunk * 5 + i];
    digits += String(value % 100000).padStart(5, "0");
  }
  return digits;
}

/**
 * The 60-digit safety number of two participants, the same on both sides.
 * Keys are `sign ‖ dh` of each bundle and IDs their participant IDs in UTF-8.
 */
export async function safetyNumber(options: SafetyNumberOptions): Promise<string> {
  const [own, peer] = await Promise.all([
    fingerprintDigits(options.ownKey, utf8(options.ownId)),
    fingerprintDigits(options.peerKey, utf8(options.peerId)),
  ]);
  return own < peer ? own + peer : peer + own;
}

/** The key a bundle contributes to the safety number: `sign ‖ dh`. */
export function safetyNumberKey(bundle: AnyBundle): Uint8Array<ArrayBuffer> {
  const { signPublic, dhPublic } = bundleKeys(bundle);
  return concatBytes(signPublic, dhPublic);
}

/** Splits 60 digits into the 12 groups of 5 that are shown. */
export function formatSafetyNumber(digits: string): string[] {
  if (typeof digits !== "string" || !/^\d{60}$/.test(digits)) {
    throw new TypeError("Invalid safety number: expected 60 digits");
  }
  return digits.match(/\d{5}/g) as string[];
}
