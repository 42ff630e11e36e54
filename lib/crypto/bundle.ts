/**
 * The participant bundle: public keys plus the access signature that proves
 * the holder knew the invite secret. The creator's also carries two signed
 * prekeys (see `prekey_signature.ts`). A stored record may still hold the
 * legacy format of `legacy_bundle.ts`, so parsing and verifying take either.
 * This file makes and verifies the signatures; the format (fields, parsing,
 * comparing) is `bundle_format.ts` and decoding a bundle's keys
 * `bundle_keys.ts`, both re-exported here.
 *
 * @module
 */

import {
  checkKeyLength,
  type Ed25519Verify,
  legacyBundleMessage,
  verifyEd25519,
} from "./bundle_signing.ts";
import { isSmallOrderEd25519Key } from "./ed25519_key_check.ts";
import { concatBytes, decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import type { Identity } from "./identity.ts";
import { type BundlePrekeys, signPrekeys, verifyPrekeySignature } from "./prekey_signature.ts";
import {
  type AnyBundle,
  type Bundle,
  PQSPK_BYTES,
  PREKEY_FIELDS,
  SPK_BYTES,
} from "./bundle_format.ts";
import { hasPrekeys } from "./bundle_keys.ts";

export * from "./bundle_format.ts";
export * from "./bundle_keys.ts";

/** The domain separator of the access signature. */
export const BUNDLE_CONTEXT = "anon/v2/bundle";

/**
 * Makes a bundle. With `prekeys` (the creator) the identity signing
 * key first signs the two prekeys, then the access key signs everything;
 * without them (the joiner) the access key signs the identity keys.
 */
export async function createBundle(
  identity: Pick<Identity, "signing" | "signPublic" | "dhPublic">,
  accessPrivateKey: CryptoKey,
  prekeys?: BundlePrekeys,
): Promise<Bundle> {
  const { signPublic, dhPublic } = identity;
  if (prekeys === undefined) {
    const signature = await crypto.subtle.sign(
      "Ed25519",
      accessPrivateKey,
      bundleMessage(signPublic, dhPublic),
    );
    return {
      v: 2,
      sign: encodeBase64Url(signPublic),
      dh: encodeBase64Url(dhPublic),
      access: encodeBase64Url(new Uint8Array(signature)),
    };
  }
  const { spkPublic, pqspkPublic } = prekeys;
  const [prekeySig, access] = await Promise.all([
    signPrekeys(identity.signing.privateKey, prekeys),
    crypto.subtle.sign(
      "Ed25519",
      accessPrivateKey,
      bundleMessage(signPublic, dhPublic, spkPublic, pqspkPublic),
    ),
  ]);
  return {
    v: 2,
    sign: encodeBase64Url(signPublic),
    dh: encodeBase64Url(dhPublic),
    spk: encodeBase64Url(spkPublic),
    pqspk: encodeBase64Url(pqspkPublic),
    prekeySig: encodeBase64Url(new Uint8Array(prekeySig)),
    access: encodeBase64Url(new Uint8Array(access)),
  };
}

/**
 * Verifies the access signature of a bundle and, for a bundle with
 * prekeys, the identity key's signature over them. Resolves to false, never
 * rejects, for a bad signature, a key that is not a valid point, or a
 * small-order access or signing key (any signature "verifies" under one).
 * `verify` checks each Ed25519 signature: WebCrypto by default; the server
 * passes its own (`lib/server/ed25519_verify.ts`).
 */
export async function verifyBundle(
  bundle: AnyBundle,
  accessPublicKey: Uint8Array,
  verify: Ed25519Verify = verifyEd25519,
): Promise<boolean> {
  try {
    if (accessPublicKey.length !== 32) return false;
    const sign = decodeBase64Url(bundle.sign, { length: 32 });
    if (isSmallOrderEd25519Key(accessPublicKey) || isSmallOrderEd25519Key(sign)) return false;
    const dh = decodeBase64Url(bundle.dh, { length: 32 });
    const signature = decodeBase64Url(bundle.access, { length: 64 });
    let message: Uint8Array<ArrayBuffer>;
    if (bundle.v === 1) {
      message = legacyBundleMessage(sign, dh);
    } else if (bundle.v === 2) {
      const present = PREKEY_FIELDS.filter((key) => bundle[key] !== undefined);
      if (present.length === 0) {
        message = bundleMessage(sign, dh);
      } else if (hasPrekeys(bundle)) {
        const spkPublic = decodeBase64Url(bundle.spk, { length: SPK_BYTES });
        const pqspkPublic = decodeBase64Url(bundle.pqspk, { length: PQSPK_BYTES });
        const prekeySig = decodeBase64Url(bundle.prekeySig, { length: 64 });
        const signed = { spkPublic, pqspkPublic, signature: prekeySig };
        if (!await verifyPrekeySignature(sign, signed, verify)) {
          return false;
        }
        message = bundleMessage(sign, dh, spkPublic, pqspkPublic);
      } else {
        return false;
      }
    } else {
      return false;
    }
    return await verify(accessPublicKey, signature, message);
  } catch {
    return false;
  }
}

function bundleMessage(
  signPublic: Uint8Array,
  dhPublic: Uint8Array,
  spkPublic?: Uint8Array,
  pqspkPublic?: Uint8Array,
): Uint8Array<ArrayBuffer> {
  checkKeyLength(signPublic, 32, "signing public key");
  checkKeyLength(dhPublic, 32, "X25519 public key");
  if (spkPublic === undefined || pqspkPublic === undefined) {
    return concatBytes(utf8(BUNDLE_CONTEXT), signPublic, dhPublic);
  }
  checkKeyLength(spkPublic, SPK_BYTES, "signed prekey");
  checkKeyLength(pqspkPublic, PQSPK_BYTES, "ML-KEM signed prekey");
  return concatBytes(
    utf8(BUNDLE_CONTEXT),
    signPublic,
    dhPublic,
    spkPublic,
    pqspkPublic,
  );
}
