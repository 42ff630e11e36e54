/**
 * The participant bundle: public keys plus the access signature that proves
 * the holder knew the invite secret. The creator's also carries two signed
 * prekeys (see `prekey_signature.ts`). A stored record may still hold the
 * legacy format of `legacy_bundle.ts`, so parsing and verifying take either.
 *
 * @module
 */

import {
  bundleField,
  checkBundleKeys,
  checkKeyLength,
  type Ed25519Verify,
  isPlainObject,
  verifyEd25519,
} from "./bundle_fields.ts";
import { assertNotSmallOrder, isSmallOrderEd25519Key } from "./ed25519_key_check.ts";
import { concatBytes, decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import type { Identity } from "./identity.ts";
import { type LegacyBundle, legacyBundleMessage, parseLegacyBundle } from "./legacy_bundle.ts";
import {
  type BundlePrekeys,
  PQSPK_BYTES,
  signPrekeys,
  SPK_BYTES,
  verifyPrekeySignature,
} from "./prekey_signature.ts";

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

/** The domain separator of the access signature. */
export const BUNDLE_CONTEXT = "anon/v2/bundle";

const BUNDLE_KEYS = ["v", "sign", "dh", "spk", "pqspk", "prekeySig", "access"];
const PREKEY_FIELDS = ["spk", "pqspk", "prekeySig"] as const;

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
 * Checks untrusted input is a well-formed bundle of either version and
 * returns a clean copy. Signatures are not verified here: see
 * {@linkcode verifyBundle}.
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
