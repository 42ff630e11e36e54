/**
 * The server's Ed25519 signature check, for the access and prekey
 * signatures of every create and join. It runs the same check as WebCrypto's
 * `verify` (the runtime's native Ed25519, which refuses a non-canonical `S`),
 * through `node:crypto`, which in Deno costs about half as much CPU per
 * signature: one synchronous call instead of a key import and a verify, each
 * with its own promise and argument normalization. Browsers keep WebCrypto
 * (`verifyEd25519` in `lib/crypto/bundle_fields.ts`); the small-order keys
 * that no verifier refuses are refused before either runs
 * (`ed25519_key_check.ts`).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createPublicKey, verify } from "node:crypto";

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the key's 32 bytes follow. */
const SPKI_PREFIX = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/**
 * Tells whether `signature` by the 32-byte `publicKey` over `message`
 * verifies. False, never a throw, for a key of another length, a key that is
 * not a valid point, or a signature that is not 64 bytes.
 *
 * @example
 * ```ts
 * verifyEd25519Server(publicKey, signature, message); // true or false
 * ```
 */
export function verifyEd25519Server(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const der = Buffer.alloc(SPKI_PREFIX.length + 32);
  der.set(SPKI_PREFIX);
  der.set(publicKey, SPKI_PREFIX.length);
  try {
    const key = createPublicKey({ key: der, format: "der", type: "spki" });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
