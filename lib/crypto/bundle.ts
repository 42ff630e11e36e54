/**
 * The participant bundle: public keys plus the access signature that proves
 * the holder knew the invite secret.
 *
 * @module
 */

import { concatBytes, decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import type { Identity } from "./identity.ts";

/** A participant's public keys as sent over the wire, all base64url. */
export interface Bundle {
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
export const BUNDLE_CONTEXT = "anon/v1/bundle";

const BUNDLE_KEYS = ["v", "sign", "dh", "access"];

/** Signs an identity's public keys with the access key into a bundle. */
export async function createBundle(
  identity: Pick<Identity, "signPublic" | "dhPublic">,
  accessPrivateKey: CryptoKey,
): Promise<Bundle> {
  const message = bundleMessage(identity.signPublic, identity.dhPublic);
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
 * Checks untrusted input is a well-formed bundle and returns a clean copy.
 * The signature is not verified here: see {@linkcode verifyBundle}.
 */
export function parseBundle(value: unknown): Bundle {
  if (!isPlainObject(value)) {
    throw new TypeError("Invalid bundle: expected an object");
  }
  // The version comes first so a future format reports itself clearly.
  if (!Object.hasOwn(value, "v")) {
    throw new TypeError('Invalid bundle: missing key "v"');
  }
  if (value.v !== 1) {
    throw new TypeError(
      `Unsupported bundle version ${JSON.stringify(value.v) ?? "undefined"}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!BUNDLE_KEYS.includes(key)) {
      throw new TypeError(`Invalid bundle: unexpected key "${key}"`);
    }
  }
  const sign = field(value, "sign", 32);
  const dh = field(value, "dh", 32);
  const access = field(value, "access", 64);
  return { v: 1, sign, dh, access };
}

/**
 * Verifies the access signature of a bundle. Resolves to false, never
 * rejects, for a bad signature or an access key that is not a valid point.
 */
export async function verifyBundle(
  bundle: Bundle,
  accessPublicKey: Uint8Array,
): Promise<boolean> {
  try {
    const sign = decodeBase64Url(bundle.sign, { length: 32 });
    const dh = decodeBase64Url(bundle.dh, { length: 32 });
    const signature = decodeBase64Url(bundle.access, { length: 64 });
    if (accessPublicKey.length !== 32) return false;
    const key = await crypto.subtle.importKey(
      "raw",
      accessPublicKey.slice(),
      "Ed25519",
      false,
      ["verify"],
    );
    return await crypto.subtle.verify(
      "Ed25519",
      key,
      signature,
      bundleMessage(sign, dh),
    );
  } catch {
    return false;
  }
}

/** Tells whether two bundles carry the same keys and signature. */
export function bundlesEqual(a: Bundle, b: Bundle): boolean {
  // Canonical base64url makes string equality the same as byte equality.
  return a.v === b.v && a.sign === b.sign && a.dh === b.dh &&
    a.access === b.access;
}

/** Decodes a bundle's raw public keys, for callers that need bytes. */
export function bundleKeys(
  bundle: Bundle,
): { signPublic: Uint8Array<ArrayBuffer>; dhPublic: Uint8Array<ArrayBuffer> } {
  return {
    signPublic: decodeBase64Url(bundle.sign, { length: 32, name: "sign" }),
    dhPublic: decodeBase64Url(bundle.dh, { length: 32, name: "dh" }),
  };
}

function bundleMessage(
  signPublic: Uint8Array,
  dhPublic: Uint8Array,
): Uint8Array<ArrayBuffer> {
  if (signPublic.length !== 32 || dhPublic.length !== 32) {
    throw new TypeError(
      `Cannot sign bundle: expected 32-byte public keys, got ${signPublic.length} and ${dhPublic.length}`,
    );
  }
  return concatBytes(utf8(BUNDLE_CONTEXT), signPublic, dhPublic);
}

function field(
  value: Record<string, unknown>,
  key: string,
  length: number,
): string {
  const text = value[key];
  if (!Object.hasOwn(value, key)) {
    throw new TypeError(`Invalid bundle: missing key "${key}"`);
  }
  if (typeof text !== "string") {
    throw new TypeError(`Invalid bundle: "${key}" must be a string`);
  }
  decodeBase64Url(text, { length, name: `bundle "${key}"` });
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
