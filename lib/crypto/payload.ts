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

/** A stage-2 text message. */
export interface TextPayloadV2 {
  v: 2;
  type: "text";
  /** The message ULID, also on the relay frame. */
  id: string;
  /** At most {@linkcode MAX_TEXT_BYTES} of UTF-8. */
  text: string;
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/** The responder's first message, which completes the handshake. */
export interface HelloPayloadV2 {
  v: 2;
  type: "hello";
  /** The message ULID. */
  id: string;
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/** Says which messages arrived. */
export interface ReceiptPayloadV2 {
  v: 2;
  type: "receipt";
  /** The message ULID of the receipt itself. */
  id: string;
  /** 1 to {@linkcode MAX_RECEIPT_IDS} distinct message ULIDs. */
  ids: string[];
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/** Any stage-2 payload; `type` tells which. */
export type PayloadV2 = TextPayloadV2 | HelloPayloadV2 | ReceiptPayloadV2;

/** The most message IDs one receipt may acknowledge. */
export const MAX_RECEIPT_IDS = 100;

// Checks one field and returns a clean copy of it; throws TypeError.
type FieldCheck = (value: unknown, key: string) => unknown;

const checkUlidField: FieldCheck = (value, key) => {
  if (typeof value !== "string" || !ULID_REGEXP.test(value)) {
    throw new TypeError(`Invalid payload: "${key}" must be a ULID`);
  }
  return value;
};

const checkTextField: FieldCheck = (value, key) => {
  if (typeof value !== "string") {
    throw new TypeError(`Invalid payload: "${key}" must be a string`);
  }
  const bytes = utf8(value).length;
  if (bytes > MAX_TEXT_BYTES) {
    throw new TypeError(
      `Invalid payload: "${key}" is ${bytes} bytes, above ${MAX_TEXT_BYTES}`,
    );
  }
  return value;
};

const checkTimeField: FieldCheck = (value, key) => {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`Invalid payload: "${key}" must be a non-negative integer`);
  }
  return value;
};

const checkUlidListField: FieldCheck = (value, key) => {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_RECEIPT_IDS) {
    throw new TypeError(
      `Invalid payload: "${key}" must be a list of 1 to ${MAX_RECEIPT_IDS} ULIDs`,
    );
  }
  const ids = value.map((id) => checkUlidField(id, key) as string);
  if (new Set(ids).size !== ids.length) {
    throw new TypeError(`Invalid payload: "${key}" lists an ID twice`);
  }
  return ids;
};

/**
 * The fields of each stage-2 payload type besides `v` and `type`. To add a
 * type, add its interface to {@linkcode PayloadV2} and its fields here.
 */
const PAYLOAD_V2_FIELDS: {
  [T in PayloadV2["type"]]: Record<
    Exclude<keyof Extract<PayloadV2, { type: T }>, "v" | "type">,
    FieldCheck
  >;
} = {
  text: { id: checkUlidField, text: checkTextField, sentAt: checkTimeField },
  hello: { id: checkUlidField, sentAt: checkTimeField },
  receipt: { id: checkUlidField, ids: checkUlidListField, sentAt: checkTimeField },
};

/** Encodes a stage-2 payload as UTF-8 JSON, checking it as a receiver would. */
export function encodePayloadV2(p: PayloadV2): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(checkPayloadV2(p)));
}

/**
 * Parses and checks decrypted stage-2 bytes: exactly the keys of the type,
 * each valid. Throws `TypeError` on anything else.
 */
export function parsePayloadV2(bytes: Uint8Array): PayloadV2 {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new TypeError("Invalid payload: not UTF-8 JSON", { cause: error });
  }
  return checkPayloadV2(value);
}

function checkPayloadV2(value: unknown): PayloadV2 {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("Invalid payload: expected an object");
  }
  const record: Record<string, unknown> = { ...value };
  if (record.v !== 2) {
    throw new TypeError(
      `Unsupported payload version ${JSON.stringify(record.v) ?? "undefined"}`,
    );
  }
  const type = record.type;
  if (typeof type !== "string" || !Object.hasOwn(PAYLOAD_V2_FIELDS, type)) {
    throw new TypeError(
      `Invalid payload: unsupported type ${JSON.stringify(type) ?? "undefined"}`,
    );
  }
  const fields: Record<string, FieldCheck> = PAYLOAD_V2_FIELDS[type as PayloadV2["type"]];
  for (const key of Object.keys(record)) {
    if (key !== "v" && key !== "type" && !Object.hasOwn(fields, key)) {
      throw new TypeError(`Invalid payload: unexpected key "${key}"`);
    }
  }
  const result: Record<string, unknown> = { v: 2, type };
  for (const [key, check] of Object.entries(fields)) {
    if (!Object.hasOwn(record, key)) {
      throw new TypeError(`Invalid payload: missing key "${key}"`);
    }
    result[key] = check(record[key], key);
  }
  return result as unknown as PayloadV2;
}
