/**
 * The plaintext inside an envelope: a small JSON object in UTF-8.
 *
 * @module
 */

import { ULID_REGEXP } from "./ulid.ts";
import { utf8 } from "./encoding.ts";

/** A text message. `id` is the message ULID, also on the relay frame. */
export type Payload = {
  v: 1;
  type: "text";
  id: string;
  text: string;
  sentAt: number;
};

/** The largest text in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 64 * 1024;

// Same as lib/protocol.ts; repeated so lib/crypto depends on nothing outside.

const PAYLOAD_KEYS = ["v", "type", "id", "text", "sentAt"];
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes a payload as UTF-8 JSON, checking it as a receiver would. */
export function encodePayload(p: Payload): Uint8Array<ArrayBuffer> {
  const valid = checkPayload(p);
  return utf8(JSON.stringify(valid));
}

/** Parses and checks decrypted bytes; throws `TypeError` on anything wrong. */
export function parsePayload(bytes: Uint8Array): Payload {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new TypeError("Invalid payload: not UTF-8 JSON", { cause: error });
  }
  return checkPayload(value);
}

function checkPayload(value: unknown): Payload {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("Invalid payload: expected an object");
  }
  const record: Record<string, unknown> = { ...value };
  if (record.v !== 1) {
    throw new TypeError(
      `Unsupported payload version ${JSON.stringify(record.v) ?? "undefined"}`,
    );
  }
  for (const key of Object.keys(record)) {
    if (!PAYLOAD_KEYS.includes(key)) {
      throw new TypeError(`Invalid payload: unexpected key "${key}"`);
    }
  }
  const { type, id, text, sentAt } = record;
  if (type !== "text") {
    throw new TypeError(
      `Invalid payload: unsupported type ${JSON.stringify(type) ?? "undefined"}`,
    );
  }
  if (typeof id !== "string" || !ULID_REGEXP.test(id)) {
    throw new TypeError('Invalid payload: "id" must be a ULID');
  }
  if (typeof text !== "string") {
    throw new TypeError('Invalid payload: "text" must be a string');
  }
  const textBytes = utf8(text).length;
  if (textBytes > MAX_TEXT_BYTES) {
    throw new TypeError(
      `Invalid payload: "text" is ${textBytes} bytes, above ${MAX_TEXT_BYTES}`,
    );
  }
  if (
    typeof sentAt !== "number" || !Number.isSafeInteger(sentAt) || sentAt < 0
  ) {
    throw new TypeError(
      'Invalid payload: "sentAt" must be a non-negative integer',
    );
  }
  return { v: 1, type, id, text, sentAt };
}
