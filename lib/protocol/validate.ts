/**
 * The checks every wire parser is built from: plain objects with exactly the
 * contract's fields, bounded strings, canonical base64url, ULIDs and
 * timestamps. Each returns the checked value or throws a `ProtocolError`
 * whose message says what is wrong.
 *
 * @module
 */
import { checkBase64Url } from "../crypto/encoding.ts";
import { ULID_REGEXP } from "../crypto/ulid.ts";

/** Input that does not match the wire contract. */
export class ProtocolError extends TypeError {
  /**
   * A stable snake_case code for the HTTP answer: `invalid_request` unless
   * the input is wrong in a way a client should be able to tell apart.
   */
  readonly code: string;

  constructor(message: string, options: { code?: string } = {}) {
    super(message);
    this.name = "ProtocolError";
    this.code = options.code ?? "invalid_request";
  }
}

/** Reports whether `value` is a well-formed ULID. */
export function isUlid(value: unknown): value is string {
  return typeof value === "string" && ULID_REGEXP.test(value);
}

/** Returns `value` if it is a ULID, else throws a `ProtocolError` naming `name`. */
export function parseUlid(value: unknown, name: string): string {
  if (!isUlid(value)) {
    throw new ProtocolError(`Invalid ${name}: expected a ULID`);
  }
  return value;
}

/** Returns the object if `value` is a plain JSON object with exactly `keys`. */
export function expectObject(
  value: unknown,
  name: string,
  keys: readonly string[],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`Invalid ${name}: expected an object`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) {
      throw new ProtocolError(`Invalid ${name}: unexpected field "${key}"`);
    }
  }
  for (const key of keys) {
    if (!(key in record)) {
      throw new ProtocolError(`Invalid ${name}: missing field "${key}"`);
    }
  }
  return record;
}

/** Returns `value` if it is a string of at most `maxLength` characters. */
export function expectString(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== "string") {
    throw new ProtocolError(`Invalid ${name}: expected a string`);
  }
  if (value.length > maxLength) {
    throw new ProtocolError(
      `Invalid ${name}: longer than ${maxLength} characters`,
    );
  }
  return value;
}

/**
 * Returns `value` if it is canonical base64url, of exactly `bytes` when given.
 * The text is checked, never decoded: the cost is one scan of its characters.
 */
export function expectBase64Url(value: unknown, name: string, bytes?: number): string {
  const text = expectString(value, name, Number.MAX_SAFE_INTEGER);
  try {
    checkBase64Url(text, { length: bytes, name });
  } catch (error) {
    throw new ProtocolError(`Invalid ${name}: ${(error as Error).message}`);
  }
  return text;
}

/** Returns `value` if it is a boolean. */
export function expectBoolean(value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new ProtocolError("Invalid frame: expected a boolean");
  }
  return value;
}

/** Returns `value` if it is an ISO 8601 timestamp as `Date#toISOString` writes it. */
export function expectTimestamp(value: unknown, name: string): string {
  const text = expectString(value, name, 64);
  if (Number.isNaN(Date.parse(text)) || new Date(text).toISOString() !== text) {
    throw new ProtocolError(`Invalid ${name}: expected an ISO 8601 timestamp`);
  }
  return text;
}

/** Parses JSON text, throwing a `ProtocolError` naming `name` when it is not JSON. */
export function parseJsonText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError(`Invalid ${name}: not JSON`);
  }
}

/** The `type` of a socket frame, checked to be a string on a plain object. */
export function frameType(value: unknown, name: string): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`Invalid ${name}: expected an object`);
  }
  const type = (value as Record<string, unknown>).type;
  if (typeof type !== "string") {
    throw new ProtocolError(`Invalid ${name}: missing "type"`);
  }
  return type;
}
