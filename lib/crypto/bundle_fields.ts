/**
 * Checks both bundle formats share: the fields of an untrusted bundle. The
 * formats themselves are in `bundle_format.ts` and `legacy_bundle.ts`; the
 * checks their signatures share are in `bundle_signing.ts`.
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
