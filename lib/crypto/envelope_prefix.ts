/**
 * The first two bytes of every relay body, the envelope's version and
 * flags (see `envelope.ts`): what a page reads of a body before it fetches
 * the code that opens it.
 *
 * @module
 */

/** The envelope format version, its first byte. */
export const ENVELOPE_VERSION = 3;

/** The flag bit that says a handshake follows the header. */
export const FLAG_HANDSHAKE = 0x01;

/** The flags byte of a session reset offer, which is no message (see `reset_offer.ts`). */
export const FLAG_RESET_OFFER = 0x02;
