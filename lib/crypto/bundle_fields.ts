/**
 * Checks both bundle formats share: the fields of an untrusted bundle, the
 * lengths of the keys a bundle signs, and Ed25519 verification. The formats
 * themselves are in `bundle.ts` and `legacy_bundle.ts`.
 *
 * @module
 */

import { checkBase64Url } from "./encoding.ts";

/** Tells whether `value` is a plain object, as `JSON.parse` makes them. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Throws `TypeError` for the first key of `value` that `allowed` does not list. */
export function checkBundleKeys(value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`Invalid bundle: unexpected key "${key}"`);
    }
  }
}

/**
 * Returns the base64url field `key` of an untrusted bundle after checking it
 * decodes to `length` bytes. Throws `TypeError` otherwise.
 */
export function bundleField(
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
  // Checked, not decoded: the bytes are decoded once, where a signature needs them.
  checkBase64Url(text, { length, name: `bundle "${key}"` });
  return text;
}

/** Throws `TypeError` unless `bytes` is a key of `length` bytes, before anything is signed. */
export function checkKeyLength(bytes: Uint8Array, length: number, name: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new TypeError(
      `Cannot sign bundle: expected a ${length}-byte ${name}, got ${bytes?.length}`,
    );
  }
}

/**
 * An Ed25519 signature check: true when `signature` by `publicKey` over
 * `message` verifies. It may reject or throw for a key that is not a valid
 * point; callers count that as a failed check.
 */
export type Ed25519Verify = (
  publicKey: Uint8Array,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
) => Promise<boolean> | boolean;

/** Verifies an Ed25519 signature with WebCrypto; rejects if `publicKey` is not a valid point. */
export async function verifyEd25519(
  publicKey: Uint8Array,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    "raw",
    publicKey.slice(),
    "Ed25519",
    false,
    ["verify"],
  );
  return await crypto.subtle.verify("Ed25519", key, signature, message);
}
