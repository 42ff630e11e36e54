/**
 * The encrypted message body the relay carries:
 * `0x01 ‖ counter (8 bytes, big-endian) ‖ AES-256-GCM ciphertext and tag`.
 *
 * @module
 */

import { assertUlid } from "./ulid.ts";
import { concatBytes, utf8 } from "./encoding.ts";
import { pad, unpad } from "./padding.ts";

/** The envelope format version, its first byte. */
export const ENVELOPE_VERSION = 1;

/** The largest counter, so counters stay exact JavaScript numbers. */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

const MESSAGE_CONTEXT = "anon/v1/msg";
const HEADER_BYTES = 9;
const TAG_BYTES = 16;

/** A message failed to authenticate or its padding was malformed. */
export class DecryptionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DecryptionError";
  }
}

/** Who sends what to whom, bound into the ciphertext as associated data. */
export interface MessageContext {
  /** The conversation the message belongs to. */
  conversationId: string;
  /** The sender's participant ID. */
  from: string;
  /** The recipient's participant ID. */
  to: string;
}

/** Inputs of {@linkcode encryptMessage}. */
export interface EncryptMessageOptions extends MessageContext {
  /** The sender's per-direction counter; never reuse one with a key. */
  counter: number;
  /** The bytes to encrypt, padded before encryption. */
  plaintext: Uint8Array;
}

/** Inputs of {@linkcode decryptMessage}. */
export interface DecryptMessageOptions extends MessageContext {
  /** The envelope bytes as received. */
  envelope: Uint8Array;
}

/** The fields of an envelope, before decryption. */
export interface Envelope {
  /** The format version. */
  version: 1;
  /** The sender's counter, also the nonce. */
  counter: number;
  /** The AES-GCM ciphertext including its 16-byte tag. */
  ciphertext: Uint8Array<ArrayBuffer>;
}

/** A decrypted message. */
export interface DecryptedMessage {
  /** The sender's counter, to check against the replay window. */
  counter: number;
  /** The unpadded plaintext. */
  plaintext: Uint8Array<ArrayBuffer>;
}

/**
 * Pads and encrypts a message into envelope bytes.
 *
 * The caller must persist the counter as used before sending: a counter
 * reused with the same key reuses the AES-GCM nonce.
 */
export async function encryptMessage(
  key: CryptoKey,
  options: EncryptMessageOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const { counter } = options;
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError(
      `Cannot encrypt message with counter ${counter}: expected an integer from 0 to ${MAX_COUNTER}`,
    );
  }
  const counterBytes = encodeCounter(counter);
  const ciphertext = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: nonceOf(counterBytes),
      additionalData: associatedData(options, counterBytes),
      tagLength: TAG_BYTES * 8,
    },
    key,
    pad(options.plaintext),
  );
  return concatBytes(
    Uint8Array.of(ENVELOPE_VERSION),
    counterBytes,
    new Uint8Array(ciphertext),
  );
}

/** Splits envelope bytes into their fields, checking the structure only. */
export function parseEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError("Cannot parse envelope: expected a Uint8Array");
  }
  if (bytes.length < HEADER_BYTES + TAG_BYTES) {
    throw new TypeError(
      `Cannot parse envelope: expected at least ${
        HEADER_BYTES + TAG_BYTES
      } bytes, got ${bytes.length}`,
    );
  }
  if (bytes[0] !== ENVELOPE_VERSION) {
    throw new TypeError(`Unsupported envelope version ${bytes[0]}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counter = view.getBigUint64(1);
  if (counter > BigInt(MAX_COUNTER)) {
    throw new TypeError(
      `Cannot parse envelope: counter ${counter} is above ${MAX_COUNTER}`,
    );
  }
  return {
    version: ENVELOPE_VERSION,
    counter: Number(counter),
    ciphertext: bytes.slice(HEADER_BYTES),
  };
}

/**
 * Decrypts envelope bytes. Rejects with {@linkcode DecryptionError} for any
 * envelope that is malformed, from another version, fails to authenticate
 * for this key, conversation, sender and recipient, or is badly padded: all
 * are what a tampering relay produces, and the user is shown each one.
 */
export async function decryptMessage(
  key: CryptoKey,
  options: DecryptMessageOptions,
): Promise<DecryptedMessage> {
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(options.envelope);
  } catch (error) {
    throw new DecryptionError(
      `Cannot decrypt message from "${options.from}": ${(error as Error).message}`,
      { cause: error },
    );
  }
  const { counter, ciphertext } = envelope;
  const counterBytes = options.envelope.slice(1, HEADER_BYTES);
  let padded: Uint8Array;
  try {
    padded = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: nonceOf(counterBytes),
          additionalData: associatedData(options, counterBytes),
          tagLength: TAG_BYTES * 8,
        },
        key,
        ciphertext,
      ),
    );
  } catch (error) {
    // Only a failed tag check is the sender's fault; misuse of the key
    // (wrong algorithm or usage) is a bug and surfaces as is.
    if (error instanceof DOMException && error.name === "OperationError") {
      throw new DecryptionError(
        `Cannot decrypt message ${counter} from "${options.from}": authentication failed`,
        { cause: error },
      );
    }
    throw error;
  }
  try {
    return { counter, plaintext: unpad(padded) };
  } catch (error) {
    throw new DecryptionError(
      `Cannot decrypt message ${counter} from "${options.from}": ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function encodeCounter(counter: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(counter));
  return bytes;
}

// 96-bit nonce: four zero bytes then the counter; unique per key because each
// direction has its own key and counters are never reused.
function nonceOf(counterBytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes(new Uint8Array(4), counterBytes);
}

function associatedData(
  context: MessageContext,
  counterBytes: Uint8Array,
): Uint8Array<ArrayBuffer> {
  // Fixed-length IDs make the plain concatenation below unambiguous.
  assertUlid(context.conversationId, "conversation ID");
  assertUlid(context.from, "sender ID");
  assertUlid(context.to, "recipient ID");
  return concatBytes(
    utf8(MESSAGE_CONTEXT),
    utf8(context.conversationId),
    utf8(context.from),
    utf8(context.to),
    counterBytes,
  );
}
