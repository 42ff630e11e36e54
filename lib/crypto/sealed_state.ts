/**
 * Ratchet state at rest: serialized to JSON (byte fields in base64url) and
 * encrypted with AES-256-GCM under a non-extractable wrapping key kept in
 * IndexedDB, so script that reads the database gets no message keys.
 *
 * Sealed form: `nonce (12 random bytes) ‖ ciphertext and tag`, with
 * associated data `"anon/v2/state" ‖ context`; the context (the conversation
 * ID) stops one conversation's state from being swapped for another's.
 *
 * @module
 */

import { concatBytes, decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import { MAX_MESSAGE_NUMBER } from "./ratchet_header.ts";
import { MAX_SKIPPED_KEYS, type RatchetState, type SkippedKey } from "./ratchet.ts";

/** A sealed state failed to authenticate or to parse. */
export class SealedStateError extends Error {
  /** Creates the error; the message says what failed. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SealedStateError";
  }
}

/** The serialization format version inside the sealed bytes. */
export const STATE_FORMAT_VERSION = 1;

const STATE_CONTEXT = "anon/v2/state";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const STATE_KEYS = ["v", "dhs", "dhr", "rk", "cks", "ckr", "ns", "nr", "pn", "skipped"];
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Generates a non-extractable AES-256-GCM key for sealing states. */
export async function generateWrappingKey(): Promise<CryptoKey> {
  return await crypto.subtle.generateKey(
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Encrypts a ratchet state for storage, bound to `context`. */
export async function sealState(
  key: CryptoKey,
  state: RatchetState,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const plaintext = serializeRatchetState(state);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: stateAd(context), tagLength: 128 },
    key,
    plaintext,
  );
  plaintext.fill(0);
  return concatBytes(nonce, new Uint8Array(ciphertext));
}

/**
 * Decrypts a state sealed by {@linkcode sealState}. Throws
 * `SealedStateError` if it was altered, sealed under another key or for
 * another context, or does not hold a valid state.
 */
export async function openState(
  key: CryptoKey,
  sealed: Uint8Array,
  context: string,
): Promise<RatchetState> {
  if (!(sealed instanceof Uint8Array) || sealed.length < NONCE_BYTES + TAG_BYTES) {
    throw new SealedStateError("Cannot open ratchet state: too short");
  }
  let plaintext: Uint8Array<ArrayBuffer>;
  try {
    plaintext = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: sealed.slice(0, NONCE_BYTES),
          additionalData: stateAd(context),
          tagLength: 128,
        },
        key,
        sealed.slice(NONCE_BYTES),
      ),
    );
  } catch (error) {
    throw new SealedStateError(
      "Cannot open ratchet state: it was altered or sealed under another key or context",
      { cause: error },
    );
  }
  try {
    return deserializeRatchetState(plaintext);
  } catch (error) {
    throw new SealedStateError(`Cannot open ratchet state: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    plaintext.fill(0);
  }
}

/** Serializes a state to deterministic UTF-8 JSON. */
export function serializeRatchetState(state: RatchetState): Uint8Array<ArrayBuffer> {
  const b64 = encodeBase64Url;
  return utf8(JSON.stringify({
    v: STATE_FORMAT_VERSION,
    dhs: [b64(state.dhs.publicKey), b64(state.dhs.privateKey)],
    dhr: state.dhr === null ? null : b64(state.dhr),
    rk: b64(state.rk),
    cks: state.cks === null ? null : b64(state.cks),
    ckr: state.ckr === null ? null : b64(state.ckr),
    ns: state.ns,
    nr: state.nr,
    pn: state.pn,
    skipped: state.skipped.map((key) => [key.dh, key.n, b64(key.mk)]),
  }));
}

/** Parses {@linkcode serializeRatchetState} output strictly; `TypeError` otherwise. */
export function deserializeRatchetState(bytes: Uint8Array): RatchetState {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new TypeError("Invalid ratchet state: not UTF-8 JSON", { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("Invalid ratchet state: expected an object");
  }
  const record = value as Record<string, unknown>;
  if (record.v !== STATE_FORMAT_VERSION) {
    throw new TypeError(
      `Unsupported ratchet state version ${JSON.stringify(record.v) ?? "undefined"}`,
    );
  }
  const keys = Object.keys(record);
  if (keys.length !== STATE_KEYS.length || !STATE_KEYS.every((key) => keys.includes(key))) {
    throw new TypeError("Invalid ratchet state: unexpected keys");
  }
  const dhs = record.dhs;
  if (!Array.isArray(dhs) || dhs.length !== 2) {
    throw new TypeError('Invalid ratchet state: "dhs" must be a key pair');
  }
  if (!Array.isArray(record.skipped) || record.skipped.length > MAX_SKIPPED_KEYS) {
    throw new TypeError(
      `Invalid ratchet state: "skipped" must be a list of at most ${MAX_SKIPPED_KEYS} keys`,
    );
  }
  const skipped: SkippedKey[] = record.skipped.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 3) {
      throw new TypeError('Invalid ratchet state: "skipped" holds a malformed key');
    }
    bytesField(entry[0], "skipped dh");
    return {
      dh: entry[0] as string,
      n: numberField(entry[1], "skipped n"),
      mk: bytesField(entry[2], "skipped mk"),
    };
  });
  return {
    dhs: { publicKey: bytesField(dhs[0], "dhs"), privateKey: bytesField(dhs[1], "dhs") },
    dhr: record.dhr === null ? null : bytesField(record.dhr, "dhr"),
    rk: bytesField(record.rk, "rk"),
    cks: record.cks === null ? null : bytesField(record.cks, "cks"),
    ckr: record.ckr === null ? null : bytesField(record.ckr, "ckr"),
    // A sending counter may reach one past the last message number.
    ns: numberField(record.ns, "ns", MAX_MESSAGE_NUMBER + 1),
    nr: numberField(record.nr, "nr", MAX_MESSAGE_NUMBER + 1),
    pn: numberField(record.pn, "pn"),
    skipped,
  };
}

function bytesField(value: unknown, name: string): Uint8Array<ArrayBuffer> {
  if (typeof value !== "string") {
    throw new TypeError(`Invalid ratchet state: "${name}" must be base64url`);
  }
  return decodeBase64Url(value, { length: 32, name: `ratchet state "${name}"` });
}

function numberField(value: unknown, name: string, maximum = MAX_MESSAGE_NUMBER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > maximum) {
    throw new TypeError(
      `Invalid ratchet state: "${name}" must be an integer from 0 to ${maximum}`,
    );
  }
  return value;
}

function stateAd(context: string): Uint8Array<ArrayBuffer> {
  if (typeof context !== "string" || context === "") {
    throw new TypeError("Invalid ratchet state context: expected a non-empty string");
  }
  return utf8(STATE_CONTEXT + context);
}
