/**
 * The session reset offer: how one side asks for a fresh handshake between
 * the same identities once a session is broken. It is not ratchet-encrypted
 * (the ratchet is what broke) but signed by the sender's pinned identity
 * key, and carried as a relay body of its own kind:
 *
 * ```
 * 0x03 ‖ 0x02 (FLAG_RESET_OFFER) ‖ generation u32 BE ‖ spk 32 ‖ pqspk 1184 ‖ signature 64
 * signature = Ed25519(sign, "anon/v3/reset-offer" ‖ conversationId ‖ from ‖ to
 *                           ‖ noticeId ‖ generation u32 BE ‖ spk ‖ pqspk)
 * ```
 *
 * `noticeId` is the message ULID the offer travels under (the relay frame's
 * `id`), which is not in the body: the receiver verifies against the frame's
 * ID, so a relay that relabels the offer with another message's ID (to have
 * the receiver acknowledge that message in the new session) gets it refused.
 *
 * `spk` (X25519) and `pqspk` (ML-KEM-768) are fresh prekeys of the sender,
 * used once, like the creator's bundle prekeys. The receiver answers with
 * the PQXDH initiator's side against them and `psk = resetPsk(generation)`;
 * the invite secret is gone by then, and the pinned identity keys
 * authenticate the handshake. `generation` (u32) only grows: an offer whose
 * number is not above the session's is stale and changes nothing (the
 * client takes the clock's seconds, see `lib/client/session_reset.ts`).
 *
 * @module
 */

import { isSmallOrderEd25519Key } from "./ed25519_key_check.ts";
import { concatBytes, utf8 } from "./encoding.ts";
import { ENVELOPE_VERSION, FLAG_RESET_OFFER } from "./envelope_prefix.ts";
import { KEM_PUBLIC_KEY_BYTES } from "./kem_sizes.ts";
import { isResetOffer } from "./reset_offer_prefix.ts";

export { isResetOffer };
import { assertUlid } from "./ulid.ts";

/** The domain separator of the identity key's signature over an offer. */
export const RESET_OFFER_CONTEXT = "anon/v3/reset-offer";

/** The domain separator of the handshake's pre-shared key after a reset. */
export const RESET_PSK_CONTEXT = "anon/v3/reset-psk";

/** The largest generation number (u32). */
export const MAX_RESET_GENERATION = 0xffff_ffff;

const SPK_BYTES = 32;
const SIGNATURE_BYTES = 64;
const PREFIX_BYTES = 2;
/** The length of every encoded offer. */
export const RESET_OFFER_BYTES = PREFIX_BYTES + 4 + SPK_BYTES + KEM_PUBLIC_KEY_BYTES +
  SIGNATURE_BYTES;

/** The signed content of an offer. */
export interface ResetOfferFields {
  /** The session generation the offer starts, 1 or more. */
  generation: number;
  /** The 32-byte X25519 prekey. */
  spk: Uint8Array;
  /** The 1184-byte ML-KEM-768 prekey. */
  pqspk: Uint8Array;
}

/** A reset offer: its fields and the sender's signature over them. */
export interface ResetOffer extends ResetOfferFields {
  /** The 64-byte Ed25519 signature by the sender's identity key. */
  signature: Uint8Array;
}

/**
 * Who an offer is from and to, in which conversation and under which ID:
 * bound into the signature.
 */
export interface ResetParties {
  /** The conversation ULID. */
  conversationId: string;
  /** The sender's participant ULID. */
  from: string;
  /** The recipient's participant ULID. */
  to: string;
  /** The message ULID of the notice the offer travels under (the relay frame's ID). */
  noticeId: string;
}

/** The bytes the sender signs: see the module doc. Throws `TypeError` for bad fields. */
export function resetOfferMessage(
  parties: ResetParties,
  fields: ResetOfferFields,
): Uint8Array<ArrayBuffer> {
  // Fixed-length IDs and keys make the concatenation unambiguous.
  assertUlid(parties.conversationId, "conversation ID");
  assertUlid(parties.from, "sender ID");
  assertUlid(parties.to, "recipient ID");
  assertUlid(parties.noticeId, "notice ID");
  if (parties.from === parties.to) {
    throw new TypeError(`Invalid reset offer: "${parties.from}" cannot reset with itself`);
  }
  checkFields(fields);
  return concatBytes(
    utf8(
      RESET_OFFER_CONTEXT + parties.conversationId + parties.from + parties.to + parties.noticeId,
    ),
    u32(fields.generation),
    fields.spk,
    fields.pqspk,
  );
}

/** Signs an offer with the sender's Ed25519 identity key. */
export async function signResetOffer(
  signingKey: CryptoKey,
  parties: ResetParties,
  fields: ResetOfferFields,
): Promise<ResetOffer> {
  const message = resetOfferMessage(parties, fields);
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", signingKey, message));
  return {
    generation: fields.generation,
    spk: fields.spk.slice(),
    pqspk: fields.pqspk.slice(),
    signature,
  };
}

/**
 * Checks an offer's signature against the sender's pinned identity key.
 * Resolves to false, never rejects, for a bad signature, other parties,
 * another notice ID (an offer relabelled by the relay), a key that is not a
 * valid point or a small-order key.
 */
export async function verifyResetOffer(
  offer: ResetOffer,
  options: ResetParties & { signPublic: Uint8Array },
): Promise<boolean> {
  try {
    const { signPublic } = options;
    if (signPublic.length !== 32 || isSmallOrderEd25519Key(signPublic)) return false;
    if (offer.signature.length !== SIGNATURE_BYTES) return false;
    const key = await crypto.subtle.importKey("raw", signPublic.slice(), "Ed25519", false, [
      "verify",
    ]);
    return await crypto.subtle.verify(
      "Ed25519",
      key,
      offer.signature.slice(),
      resetOfferMessage(options, offer),
    );
  } catch {
    return false;
  }
}

/** Encodes an offer as a relay body's bytes; throws `TypeError` for bad fields. */
export function encodeResetOffer(offer: ResetOffer): Uint8Array<ArrayBuffer> {
  checkFields(offer);
  if (!(offer.signature instanceof Uint8Array) || offer.signature.length !== SIGNATURE_BYTES) {
    throw new TypeError(`Invalid reset offer: the signature must be ${SIGNATURE_BYTES} bytes`);
  }
  return concatBytes(
    Uint8Array.of(ENVELOPE_VERSION, FLAG_RESET_OFFER),
    u32(offer.generation),
    offer.spk,
    offer.pqspk,
    offer.signature,
  );
}

/**
 * Splits untrusted bytes into an offer; throws `TypeError` for anything
 * malformed. The signature is not checked here: see {@linkcode verifyResetOffer}.
 */
export function parseResetOffer(bytes: Uint8Array): ResetOffer {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError("Invalid reset offer: expected a Uint8Array");
  }
  if (!isResetOffer(bytes)) {
    throw new TypeError("Invalid reset offer: it does not start with 0x03 0x02");
  }
  if (bytes.length !== RESET_OFFER_BYTES) {
    throw new TypeError(
      `Invalid reset offer: expected ${RESET_OFFER_BYTES} bytes, got ${bytes.length}`,
    );
  }
  let offset = PREFIX_BYTES;
  const generation = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0);
  if (generation === 0) throw new TypeError("Invalid reset offer: generation 0");
  offset += 4;
  const spk = bytes.slice(offset, offset + SPK_BYTES);
  offset += SPK_BYTES;
  const pqspk = bytes.slice(offset, offset + KEM_PUBLIC_KEY_BYTES);
  offset += KEM_PUBLIC_KEY_BYTES;
  return { generation, spk, pqspk, signature: bytes.slice(offset) };
}

/**
 * The 32-byte pre-shared key of a reset's handshake:
 * `SHA-256("anon/v3/reset-psk" ‖ generation u32 BE)`. Public by design: it
 * only separates each generation's keys from every other handshake's.
 */
export async function resetPsk(generation: number): Promise<Uint8Array<ArrayBuffer>> {
  checkGeneration(generation);
  const digest = await crypto.subtle.digest(
    "SHA-256",
    concatBytes(utf8(RESET_PSK_CONTEXT), u32(generation)),
  );
  return new Uint8Array(digest);
}

function checkFields(fields: ResetOfferFields): void {
  checkGeneration(fields.generation);
  if (!(fields.spk instanceof Uint8Array) || fields.spk.length !== SPK_BYTES) {
    throw new TypeError(`Invalid reset offer: "spk" must be ${SPK_BYTES} bytes`);
  }
  if (!(fields.pqspk instanceof Uint8Array) || fields.pqspk.length !== KEM_PUBLIC_KEY_BYTES) {
    throw new TypeError(`Invalid reset offer: "pqspk" must be ${KEM_PUBLIC_KEY_BYTES} bytes`);
  }
}

function checkGeneration(generation: number): void {
  if (!Number.isInteger(generation) || generation < 1 || generation > MAX_RESET_GENERATION) {
    throw new TypeError(
      `Invalid reset offer: generation ${generation} is not an integer from 1 to ${MAX_RESET_GENERATION}`,
    );
  }
}

function u32(value: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}
