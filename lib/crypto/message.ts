/**
 * Padding around the ratchet: every plaintext is padded (PADMÉ, at least 256
 * bytes) before encryption and unpadded after decryption, so ciphertext
 * lengths say little about what was sent, receipts included.
 *
 * @module
 */

import { pad, unpad } from "./padding.ts";
import {
  ratchetDecrypt,
  ratchetEncrypt,
  RatchetError,
  type RatchetHeader,
  type RatchetOptions,
  type RatchetState,
} from "./ratchet.ts";

/**
 * Pads a payload and encrypts it with the ratchet; `options.random` replaces
 * the message salt's randomness in reproducible tests only.
 */
export async function sealMessage(
  state: RatchetState,
  payloadBytes: Uint8Array,
  ad: Uint8Array,
  options: RatchetOptions = {},
): Promise<{ state: RatchetState; header: RatchetHeader; ciphertext: Uint8Array<ArrayBuffer> }> {
  return await ratchetEncrypt(state, pad(payloadBytes), ad, options);
}

/**
 * Decrypts a message with the ratchet and removes its padding; `plaintext`
 * is the payload bytes. Throws
 * `RatchetError`, leaving `state` as it was, if either step fails.
 */
export async function openMessage(
  state: RatchetState,
  header: RatchetHeader,
  ciphertext: Uint8Array,
  ad: Uint8Array,
  options: RatchetOptions = {},
): Promise<{ state: RatchetState; plaintext: Uint8Array<ArrayBuffer> }> {
  const result = await ratchetDecrypt(state, header, ciphertext, ad, options);
  try {
    return { state: result.state, plaintext: unpad(result.plaintext) };
  } catch (error) {
    // Authentic but malformed: only a broken peer sends this. Refuse it
    // without committing, like any other failure.
    throw new RatchetError(`Cannot decrypt message: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
