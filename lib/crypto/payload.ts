/**
 * The plaintext inside an envelope: a small JSON object in UTF-8.
 *
 * @module
 */

import { CANCEL_FIELDS, type CancelPayload } from "./cancel_payload.ts";
export type { CancelPayload };
import { utf8 } from "./encoding.ts";
import { actionFields, type ActionPayload } from "./payload_actions.ts";
import type { CallPayload } from "./payload_call.ts";
import { loadedCallFields } from "./payload_call_loader.ts";
import {
  checkBase64Field,
  checkBooleanField,
  checkInteger,
  checkMimeField,
  checkOneOf,
  checkShortText,
  checkText,
  checkTimeField,
  checkUlidField,
  checkUlidList,
  type FieldCheck,
} from "./payload_fields.ts";
import {
  chunkCount,
  FILE_CHUNK_BYTES,
  MAX_FILE_BYTES,
  MAX_RECEIPT_IDS,
  MAX_TEXT_BYTES,
  TIMER_CHOICES,
} from "./payload_limits.ts";
import { REFUSAL_FIELDS, type RefusalPayload } from "./refusal.ts";

export type { RefusalPayload, RefusalReason } from "./refusal.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A text message. */
export interface TextPayload {
  v: 2;
  type: "text";
  /** The message ULID, also on the relay frame. */
  id: string;
  /** At most {@linkcode MAX_TEXT_BYTES} of UTF-8. */
  text: string;
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
  /** Seconds the message lives on both sides (one of {@linkcode TIMER_CHOICES}); 0 keeps it. */
  expiresIn: number;
}

/** A file announced before its chunks; the receiver checks the whole against `sha256`. */
export interface FilePayload {
  v: 2;
  type: "file";
  id: string;
  /** The file name, at most 255 bytes, shown as text. */
  name: string;
  /** A MIME type such as `image/png`; images are previewed. */
  mime: string;
  /** Bytes, at most {@linkcode MAX_FILE_BYTES}. */
  size: number;
  /** How many chunks follow: `max(1, ceil(size / FILE_CHUNK_BYTES))`. */
  chunks: number;
  /** base64url SHA-256 of the whole file. */
  sha256: string;
  sentAt: number;
  expiresIn: number;
}

/** One chunk of a file: bytes `index * FILE_CHUNK_BYTES` onwards. */
export interface ChunkPayload {
  v: 2;
  type: "chunk";
  id: string;
  /** The ULID of the file message. */
  file: string;
  index: number;
  /** base64url of at most {@linkcode FILE_CHUNK_BYTES} bytes. */
  data: string;
  sentAt: number;
}

/** The other person started or stopped typing. Never stored. */
export interface TypingPayload {
  v: 2;
  type: "typing";
  id: string;
  active: boolean;
  sentAt: number;
}

/** Says which messages were read (only when both people allow read receipts). */
export interface ReadPayload {
  v: 2;
  type: "read";
  id: string;
  ids: string[];
  sentAt: number;
}

/** Sets the disappearing-messages timer of the conversation for both sides. */
export interface TimerPayload {
  v: 2;
  type: "timer";
  id: string;
  /** One of {@linkcode TIMER_CHOICES}; 0 turns disappearing messages off. */
  seconds: number;
  sentAt: number;
}

/** The joiner's first message, which lets the creator answer at all. */
export interface HelloPayload {
  v: 2;
  type: "hello";
  /** The message ULID. */
  id: string;
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/** Says which messages arrived. */
export interface ReceiptPayload {
  v: 2;
  type: "receipt";
  /** The message ULID of the receipt itself. */
  id: string;
  /** 1 to {@linkcode MAX_RECEIPT_IDS} distinct message ULIDs. */
  ids: string[];
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/**
 * The sender deleted the conversation: sent, sealed like any message, just
 * before the sender asks the server to burn it, so the receiver can tell a
 * deletion by the other person from a relay that only claims one.
 */
export interface EndPayload {
  v: 2;
  type: "end";
  /** The message ULID. */
  id: string;
  /** Milliseconds since the epoch on the sender's clock. */
  sentAt: number;
}

/** Any payload; `type` tells which. */
export type Payload =
  | TextPayload
  | HelloPayload
  | ReceiptPayload
  | FilePayload
  | ChunkPayload
  | TypingPayload
  | ReadPayload
  | TimerPayload
  | EndPayload
  | ActionPayload
  | RefusalPayload
  | CallPayload
  | CancelPayload;

// The field checks that depend on the limits above.
const checkTextField = checkText(MAX_TEXT_BYTES);
const checkTimerField = checkOneOf(TIMER_CHOICES);
const checkUlidListField = checkUlidList(MAX_RECEIPT_IDS);

/**
 * The fields of each payload type besides `v` and `type`. To add a
 * type, add its interface to {@linkcode Payload} and its fields here.
 * Call payloads' are fetched when first needed (`payload_call_loader.ts`).
 */
const PAYLOAD_FIELDS: {
  [T in Exclude<Payload["type"], CallPayload["type"]>]: Record<
    Exclude<keyof Extract<Payload, { type: T }>, "v" | "type">,
    FieldCheck
  >;
} = {
  text: {
    id: checkUlidField,
    text: checkTextField,
    sentAt: checkTimeField,
    expiresIn: checkTimerField,
  },
  hello: { id: checkUlidField, sentAt: checkTimeField },
  receipt: { id: checkUlidField, ids: checkUlidListField, sentAt: checkTimeField },
  file: {
    id: checkUlidField,
    name: checkShortText(255),
    mime: checkMimeField,
    size: checkInteger(0, MAX_FILE_BYTES),
    chunks: checkInteger(1, Math.ceil(MAX_FILE_BYTES / FILE_CHUNK_BYTES)),
    sha256: checkBase64Field(32, 32),
    sentAt: checkTimeField,
    expiresIn: checkTimerField,
  },
  chunk: {
    id: checkUlidField,
    file: checkUlidField,
    index: checkInteger(0, Math.ceil(MAX_FILE_BYTES / FILE_CHUNK_BYTES) - 1),
    data: checkBase64Field(FILE_CHUNK_BYTES),
    sentAt: checkTimeField,
  },
  typing: { id: checkUlidField, active: checkBooleanField, sentAt: checkTimeField },
  read: { id: checkUlidField, ids: checkUlidListField, sentAt: checkTimeField },
  timer: { id: checkUlidField, seconds: checkTimerField, sentAt: checkTimeField },
  end: { id: checkUlidField, sentAt: checkTimeField },
  ...actionFields({ text: checkTextField, timer: checkTimerField }),
  refusal: REFUSAL_FIELDS,
  cancel: CANCEL_FIELDS,
};

/**
 * Encodes a payload as UTF-8 JSON, checking it as a receiver would. A call
 * payload needs its checks loaded first (`loadCallChecks`).
 */
export function encodePayload(p: Payload): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(checkPayload(p)));
}

/**
 * Parses and checks decrypted bytes: exactly the keys of the type,
 * each valid. Throws `TypeError` on anything else, and on a call payload
 * before its checks are loaded (`loadCallChecks`).
 */
export function parsePayload(bytes: Uint8Array): Payload {
  return checkPayload(readPayload(bytes));
}

/** Reads decrypted bytes as UTF-8 JSON, unchecked; throws `TypeError`. */
export function readPayload(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new TypeError("Invalid payload: not UTF-8 JSON", { cause: error });
  }
}

/**
 * Keys a type gained while older pages may be open, with what their absence
 * means: an edit sealed before edits told their message's timer tells none.
 */
const ADDED_LATER: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  edit: { expiresIn: 0 },
};

/** Checks a value {@linkcode readPayload} read, as {@linkcode parsePayload} does. */
export function checkPayload(value: unknown): Payload {
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
  const fields: Record<string, FieldCheck> | undefined = typeof type !== "string"
    ? undefined
    : Object.hasOwn(PAYLOAD_FIELDS, type)
    ? PAYLOAD_FIELDS[type as keyof typeof PAYLOAD_FIELDS]
    : loadedCallFields(type);
  if (fields === undefined) {
    throw new TypeError(
      `Invalid payload: unsupported type ${JSON.stringify(type) ?? "undefined"}`,
    );
  }
  for (const key of Object.keys(record)) {
    if (key !== "v" && key !== "type" && !Object.hasOwn(fields, key)) {
      throw new TypeError(`Invalid payload: unexpected key "${key}"`);
    }
  }
  const result: Record<string, unknown> = { v: 2, type };
  const later = Object.hasOwn(ADDED_LATER, type as string) ? ADDED_LATER[type as string] : {};
  for (const [key, check] of Object.entries(fields)) {
    if (Object.hasOwn(record, key)) result[key] = check(record[key], key);
    else if (Object.hasOwn(later, key)) result[key] = later[key];
    else throw new TypeError(`Invalid payload: missing key "${key}"`);
  }
  if (type === "file" && result.chunks !== chunkCount(result.size as number)) {
    throw new TypeError('Invalid payload: "chunks" does not match "size"');
  }
  return result as unknown as Payload;
}
