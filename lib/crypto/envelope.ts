/**
 * The message body the relay carries (base64url of these bytes):
 *
 * ```
 * 0x03 ‖ flags ‖ header (dh 32 ‖ pn u32 BE ‖ n u32 BE ‖ salt 16)
 *      ‖ [handshake: ek 32 ‖ ct 1088, when flags bit 0 is set]
 *      ‖ AES-256-GCM ciphertext and tag
 * ```
 *
 * and the associated data that binds a message to its conversation, its two
 * participants, their identity keys and the handshake it carries. Version 3
 * added the header's per-message salt; version 2 envelopes (whose key and
 * nonce came from the message key alone) are refused.
 *
 * Flags bit 1 (`0x03 ‖ 0x02 ‖ …`) marks the other kind of relay body: a
 * session reset offer, signed rather than encrypted (see `reset_offer.ts`).
 * {@linkcode parseEnvelope} refuses it; no other flag combination exists.
 *
 * @module
 */

import { concatBytes, utf8 } from "./encoding.ts";
import { ENVELOPE_VERSION, FLAG_HANDSHAKE, FLAG_RESET_OFFER } from "./envelope_prefix.ts";
import { KEM_CIPHERTEXT_BYTES } from "./kem_sizes.ts";
import { decodeHeader, encodeHeader, HEADER_BYTES, type RatchetHeader } from "./ratchet_header.ts";
import { assertUlid } from "./ulid.ts";

export { decodeHeader, encodeHeader } from "./ratchet_header.ts";
export { ENVELOPE_VERSION, FLAG_HANDSHAKE, FLAG_RESET_OFFER } from "./envelope_prefix.ts";

/** The domain separator at the start of the associated data. */
export const MESSAGE_CONTEXT = "anon/v3/msg";

const EK_BYTES = 32;
const HANDSHAKE_BYTES = EK_BYTES + KEM_CIPHERTEXT_BYTES;
const TAG_BYTES = 16;
const PREFIX_BYTES = 2;

/** The handshake fields a first message carries. */
export interface EnvelopeHandshake {
  /** The initiator's 32-byte ephemeral X25519 public key. */
  ek: Uint8Array;
  /** The 1088-byte ML-KEM-768 ciphertext. */
  ct: Uint8Array;
}

/** The parts of a envelope. */
export interface Envelope {
  /** The Double Ratchet header. */
  header: RatchetHeader;
  /** The handshake, on the initiator's messages until the responder answers. */
  handshake: EnvelopeHandshake | null;
  /** The AES-256-GCM ciphertext including its 16-byte tag. */
  ciphertext: Uint8Array;
}

/** Inputs of {@linkcode messageAd}. */
export interface MessageAdOptions {
  /** The conversation ULID. */
  conversationId: string;
  /** The sender's participant ULID. */
  from: string;
  /** The recipient's participant ULID. */
  to: string;
  /** The sender's 32-byte Ed25519 identity public key. */
  fromSign: Uint8Array;
  /** The recipient's 32-byte Ed25519 identity public key. */
  toSign: Uint8Array;
  /** The handshake the envelope carries, if any. */
  handshake?: EnvelopeHandshake | null;
}

/** Encodes an envelope; throws `TypeError` for fields of the wrong size. */
export function encodeEnvelope(
  envelope: { header: RatchetHeader; handshake?: EnvelopeHandshake | null; ciphertext: Uint8Array },
): Uint8Array<ArrayBuffer> {
  const header = encodeHeader(envelope.header);
  const { handshake, ciphertext } = envelope;
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < TAG_BYTES) {
    throw new TypeError(
      `Invalid envelope: the ciphertext must be at least ${TAG_BYTES} bytes`,
    );
  }
  if (handshake === undefined || handshake === null) {
    return concatBytes(Uint8Array.of(ENVELOPE_VERSION, 0), header, ciphertext);
  }
  checkHandshake(handshake);
  return concatBytes(
    Uint8Array.of(ENVELOPE_VERSION, FLAG_HANDSHAKE),
    header,
    handshake.ek,
    handshake.ct,
    ciphertext,
  );
}

/**
 * Splits untrusted bytes into an envelope. Throws `TypeError` for anything
 * malformed, and "Unsupported envelope version N" for another version
 * ("…: sent by an older version" below this one), so a legacy envelope is
 * refused clearly.
 */
export function parseEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError("Invalid envelope: expected a Uint8Array");
  }
  if (bytes.length === 0) throw new TypeError("Invalid envelope: empty");
  if (bytes[0] !== ENVELOPE_VERSION) {
    throw new TypeError(
      bytes[0] < ENVELOPE_VERSION
        ? `Unsupported envelope version ${bytes[0]}: sent by an older version`
        : `Unsupported envelope version ${bytes[0]}`,
    );
  }
  if (bytes.length < PREFIX_BYTES) {
    throw new TypeError("Invalid envelope: missing flags");
  }
  const flags = bytes[1];
  if (flags === FLAG_RESET_OFFER) {
    throw new TypeError("Invalid envelope: a session reset offer is not a message");
  }
  if ((flags & ~FLAG_HANDSHAKE) !== 0) {
    throw new TypeError(
      `Invalid envelope: unknown flags 0x${flags.toString(16).padStart(2, "0")}`,
    );
  }
  const handshakeBytes = flags & FLAG_HANDSHAKE ? HANDSHAKE_BYTES : 0;
  const minimum = PREFIX_BYTES + HEADER_BYTES + handshakeBytes + TAG_BYTES;
  if (bytes.length < minimum) {
    throw new TypeError(
      `Invalid envelope: expected at least ${minimum} bytes, got ${bytes.length}`,
    );
  }
  let offset = PREFIX_BYTES;
  const header = decodeHeader(bytes.subarray(offset, offset + HEADER_BYTES));
  offset += HEADER_BYTES;
  let handshake: EnvelopeHandshake | null = null;
  if (handshakeBytes !== 0) {
    handshake = {
      ek: bytes.slice(offset, offset + EK_BYTES),
      ct: bytes.slice(offset + EK_BYTES, offset + HANDSHAKE_BYTES),
    };
    offset += HANDSHAKE_BYTES;
  }
  return { header, handshake, ciphertext: bytes.slice(offset) };
}

/**
 * The associated data of a message:
 * `"anon/v3/msg" ‖ conversationId ‖ from ‖ to ‖ fromSign ‖ toSign ‖ [ek ‖ ct]`.
 *
 * Binding the handshake means a relay cannot swap `ek` or `ct` on a later
 * message; binding both identity keys means it cannot swap a bundle.
 */
export function messageAd(options: MessageAdOptions): Uint8Array<ArrayBuffer> {
  const { conversationId, from, to, fromSign, toSign, handshake } = options;
  // Fixed-length IDs and keys make the concatenation unambiguous.
  assertUlid(conversationId, "conversation ID");
  assertUlid(from, "sender ID");
  assertUlid(to, "recipient ID");
  for (const [name, key] of [["fromSign", fromSign], ["toSign", toSign]] as const) {
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new TypeError(`Invalid message context: "${name}" must be 32 bytes`);
    }
  }
  const parts = [utf8(MESSAGE_CONTEXT + conversationId + from + to), fromSign, toSign];
  if (handshake !== undefined && handshake !== null) {
    checkHandshake(handshake);
    parts.push(handshake.ek, handshake.ct);
  }
  return concatBytes(...parts);
}

function checkHandshake(handshake: EnvelopeHandshake): void {
  if (!(handshake.ek instanceof Uint8Array) || handshake.ek.length !== EK_BYTES) {
    throw new TypeError(`Invalid handshake: "ek" must be ${EK_BYTES} bytes`);
  }
  if (
    !(handshake.ct instanceof Uint8Array) || handshake.ct.length !== KEM_CIPHERTEXT_BYTES
  ) {
    throw new TypeError(`Invalid handshake: "ct" must be ${KEM_CIPHERTEXT_BYTES} bytes`);
  }
}
