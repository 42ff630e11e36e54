/**
 * How a relay body tells that it is a session reset offer (`reset_offer.ts`)
 * rather than a message: its first two bytes. Apart from the offer's code,
 * which a page fetches only when a reset runs.
 *
 * @module
 */
import { decodeBase64Url } from "./encoding.ts";
import { ENVELOPE_VERSION, FLAG_RESET_OFFER } from "./envelope_prefix.ts";

/** Whether a relay body's bytes claim to be a reset offer (its first two bytes). */
export function isResetOffer(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === ENVELOPE_VERSION && bytes[1] === FLAG_RESET_OFFER;
}

/** Whether a relay body (base64url) claims to be a reset offer rather than a message. */
export function isResetOfferBody(body: string): boolean {
  try {
    return isResetOffer(decodeBase64Url(body));
  } catch {
    return false;
  }
}
