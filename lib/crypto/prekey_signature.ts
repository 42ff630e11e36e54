/**
 * The identity key's signature over a creator's two signed prekeys (PQXDH
 * §3.3), which a joiner checks before using them.
 *
 * @module
 */

import { PQSPK_BYTES, SPK_BYTES } from "./bundle_format.ts";
import { checkKeyLength, type Ed25519Verify, verifyEd25519 } from "./bundle_signing.ts";
import { concatBytes, utf8 } from "./encoding.ts";

/** The domain separator of the identity key's signature over the prekeys. */
export const PREKEYS_CONTEXT = "anon/v2/prekeys";

/** The public prekeys a creator adds to its bundle. */
export interface BundlePrekeys {
  /** The 32-byte X25519 signed prekey. */
  spkPublic: Uint8Array;
  /** The 1184-byte ML-KEM-768 signed prekey. */
  pqspkPublic: Uint8Array;
}

/**
 * Signs the two prekeys with the identity signing key. Not `async`: a prekey
 * of the wrong length throws at once, before anything else is signed.
 */
export function signPrekeys(signingKey: CryptoKey, prekeys: BundlePrekeys): Promise<ArrayBuffer> {
  return crypto.subtle.sign("Ed25519", signingKey, prekeysMessage(prekeys));
}

/**
 * Verifies the identity key's signature over the two prekeys, with `verify`
 * (WebCrypto by default). Rejects if `signPublic` is not a valid point; the
 * caller decides what that means.
 */
export async function verifyPrekeySignature(
  signPublic: Uint8Array,
  signed: BundlePrekeys & { signature: Uint8Array<ArrayBuffer> },
  verify: Ed25519Verify = verifyEd25519,
): Promise<boolean> {
  return await verify(signPublic, signed.signature, prekeysMessage(signed));
}

function prekeysMessage({ spkPublic, pqspkPublic }: BundlePrekeys): Uint8Array<ArrayBuffer> {
  checkKeyLength(spkPublic, SPK_BYTES, "signed prekey");
  checkKeyLength(pqspkPublic, PQSPK_BYTES, "ML-KEM signed prekey");
  return concatBytes(utf8(PREKEYS_CONTEXT), spkPublic, pqspkPublic);
}
