/**
 * The checks of single payload fields, for the table of each payload type in
 * `payload.ts`. Each takes the untrusted value and the field's name, returns
 * a clean copy, and throws `TypeError` naming the field otherwise. Checks
 * that depend on a protocol limit take the limit, so this module needs
 * nothing from `payload.ts`.
 *
 * @module
 */

import { decodeBase64Url, utf8 } from "./encoding.ts";
import { ULID_REGEXP } from "./ulid.ts";

/** Checks one field and returns a clean copy of it; throws `TypeError`. */
export type FieldCheck = (value: unknown, key: string) => unknown;

/** A message ULID. */
export const checkUlidField: FieldCheck = (value, key) => {
  if (typeof value !== "string" || !ULID_REGEXP.test(value)) {
    throw new TypeError(`Invalid payload: "${key}" must be a ULID`);
  }
  return value;
};

/** A time in milliseconds since the epoch. */
export const checkTimeField: FieldCheck = (value, key) => {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`Invalid payload: "${key}" must be a non-negative integer`);
  }
  return value;
};

/** A MIME type such as `image/png`. */
export const checkMimeField: FieldCheck = (value, key) => {
  if (typeof value !== "string" || !/^[\w.+-]{1,63}\/[\w.+-]{1,63}$/.test(value)) {
    throw new TypeError(`Invalid payload: "${key}" must be a MIME type`);
  }
  return value;
};

/** A boolean. */
export const checkBooleanField: FieldCheck = (value, key) => {
  if (typeof value !== "boolean") {
    throw new TypeError(`Invalid payload: "${key}" must be a boolean`);
  }
  return value;
};

/** Text of at most `maxBytes` in UTF-8, empty allowed. */
export function checkText(maxBytes: number): FieldCheck {
  return (value, key) => {
    if (typeof value !== "string") {
      throw new TypeError(`Invalid payload: "${key}" must be a string`);
    }
    const bytes = utf8(value).length;
    if (bytes > maxBytes) {
      throw new TypeError(
        `Invalid payload: "${key}" is ${bytes} bytes, above ${maxBytes}`,
      );
    }
    return value;
  };
}

/** Text of 1 to `maxBytes` in UTF-8, such as a file name. */
export function checkShortText(maxBytes: number): FieldCheck {
  return (value, key) => {
    if (typeof value !== "string" || value.length === 0 || utf8(value).length > maxBytes) {
      throw new TypeError(`Invalid payload: "${key}" must be 1 to ${maxBytes} bytes of text`);
    }
    return value;
  };
}

/** A safe integer from `min` to `max`, both included. */
export function checkInteger(min: number, max: number): FieldCheck {
  return (value, key) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new TypeError(`Invalid payload: "${key}" must be an integer from ${min} to ${max}`);
    }
    return value;
  };
}

/** One of the numbers in `choices`. */
export function checkOneOf(choices: readonly number[]): FieldCheck {
  return (value, key) => {
    if (typeof value !== "number" || !choices.includes(value)) {
      throw new TypeError(`Invalid payload: "${key}" must be one of ${choices.join(", ")}`);
    }
    return value;
  };
}

/** base64url of at most `maxBytes` bytes, or of exactly `exactBytes` when given. */
export function checkBase64Field(maxBytes: number, exactBytes?: number): FieldCheck {
  return (value, key) => {
    if (typeof value !== "string" || value.length > Math.ceil(maxBytes * 4 / 3)) {
      throw new TypeError(
        `Invalid payload: "${key}" must be base64url of at most ${maxBytes} bytes`,
      );
    }
    try {
      decodeBase64Url(value, { length: exactBytes, name: key });
    } catch (error) {
      throw new TypeError(`Invalid payload: ${(error as Error).message}`);
    }
    return value;
  };
}

/** A list of 1 to `maxIds` distinct ULIDs. */
export function checkUlidList(maxIds: number): FieldCheck {
  return (value, key) => {
    if (!Array.isArray(value) || value.length < 1 || value.length > maxIds) {
      throw new TypeError(
        `Invalid payload: "${key}" must be a list of 1 to ${maxIds} ULIDs`,
      );
    }
    const ids = value.map((id) => checkUlidField(id, key) as string);
    if (new Set(ids).size !== ids.length) {
      throw new TypeError(`Invalid payload: "${key}" lists an ID twice`);
    }
    return ids;
  };
}
