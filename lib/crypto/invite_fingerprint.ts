/**
 * The invite fingerprint: 16 bytes in the invite link that commit it to the
 * creator's identity keys, so the joiner refuses any other creator bundle,
 * even one validly signed with the invite secret by someone who has the link.
 *
 * ```
 * fingerprint = SHA-256("anon/v2/invite-fingerprint" ‖ sign ‖ dh)[0..16]
 * ```
 *
 * `sign` is the creator's raw 32-byte Ed25519 identity key and `dh` its raw
 * 32-byte X25519 identity key. The context is a fixed string and both keys
 * have a fixed length, so the input has one reading. The prekeys need not be
 * hashed: `sign` signs them in the bundle. Forging a bundle for a given
 * fingerprint is a second-preimage search of about 2^128 hashes.
 *
 * @module
 */

import type { AnyBundle } from "./bundle.ts";
import { bytesEqual, concatBytes, decodeBase64Url, utf8 } from "./encoding.ts";

/** The size of the invite fingerprint in bytes. */
export const INVITE_FINGERPRINT_BYTES = 16;
/** The domain separator hashed in front of the keys. */
export const INVITE_FINGERPRINT_CONTEXT = "anon/v2/invite-fingerprint";

const KEY_BYTES = 32;

/** The creator's raw identity public keys. */
export interface FingerprintKeys {
  /** The 32-byte Ed25519 identity signing public key. */
  signPublic: Uint8Array;
  /** The 32-byte X25519 identity public key. */
  dhPublic: Uint8Array;
}

/**
 * Computes the invite fingerprint of the creator's identity keys.
 *
 * @example
 * ```ts
 * const fingerprint = await inviteFingerprint(identity); // 16 bytes
 * ```
 */
export async function inviteFingerprint(
  keys: FingerprintKeys,
): Promise<Uint8Array<ArrayBuffer>> {
  const { signPublic, dhPublic } = keys;
  if (!(signPublic instanceof Uint8Array) || signPublic.length !== KEY_BYTES) {
    throw new TypeError(`Invalid signing key: expected ${KEY_BYTES} bytes`);
  }
  if (!(dhPublic instanceof Uint8Array) || dhPublic.length !== KEY_BYTES) {
    throw new TypeError(`Invalid DH key: expected ${KEY_BYTES} bytes`);
  }
  const input = concatBytes(utf8(INVITE_FINGERPRINT_CONTEXT), signPublic, dhPublic);
  const digest = await crypto.subtle.digest("SHA-256", input);
  return new Uint8Array(digest, 0, INVITE_FINGERPRINT_BYTES).slice();
}

/**
 * Computes the invite fingerprint of a bundle's identity keys. Throws a
 * `TypeError` when a key is not 32 bytes of canonical base64url.
 */
export async function bundleFingerprint(
  bundle: Pick<AnyBundle, "sign" | "dh">,
): Promise<Uint8Array<ArrayBuffer>> {
  return await inviteFingerprint({
    signPublic: decodeBase64Url(bundle.sign, { length: KEY_BYTES, name: "sign" }),
    dhPublic: decodeBase64Url(bundle.dh, { length: KEY_BYTES, name: "dh" }),
  });
}

/**
 * Whether `bundle`'s identity keys have the invite `fingerprint`. Resolves
 * to false, never rejects, for a bundle whose keys do not decode.
 */
export async function bundleMatchesFingerprint(
  bundle: Pick<AnyBundle, "sign" | "dh">,
  fingerprint: Uint8Array,
): Promise<boolean> {
  let actual: Uint8Array;
  try {
    actual = await bundleFingerprint(bundle);
  } catch {
    return false;
  }
  return bytesEqual(actual, fingerprint);
}

/**
 * The fingerprint as people read it: 8 groups of 4 upper-case hex digits,
 * e.g. `"1F0C 9A2B …"`.
 */
export function formatFingerprint(fingerprint: Uint8Array): string {
  if (!(fingerprint instanceof Uint8Array) || fingerprint.length !== INVITE_FINGERPRINT_BYTES) {
    throw new TypeError(`Invalid fingerprint: expected ${INVITE_FINGERPRINT_BYTES} bytes`);
  }
  const hex = Array.from(fingerprint, (b) => b.toString(16).padStart(2, "0")).join("");
  return hex.toUpperCase().match(/.{4}/g)!.join(" ");
}
