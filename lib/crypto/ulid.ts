/**
 * Participant and conversation IDs are ULIDs: 26 characters of Crockford
 * base32. Their fixed length is what lets the key-derivation info and the
 * message associated data concatenate IDs without length prefixes.
 *
 * @module
 */

/** A ULID in Crockford base32, upper case. */
export const ULID_REGEXP = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Throws a `TypeError` unless `value` is a ULID; `name` says which value. */
export function assertUlid(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string" || !ULID_REGEXP.test(value)) {
    throw new TypeError(`Invalid ${name}: expected a ULID`);
  }
}
