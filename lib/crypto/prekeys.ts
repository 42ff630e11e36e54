/**
 * The creator's signed prekeys: an X25519 key that also becomes its first
 * ratchet key, and an ML-KEM-768 key for the post-quantum share.
 *
 * @module
 */

import { generateKemKeyPair, type KemBackend, type KemKeyPair } from "./kem.ts";
import { generateX25519KeyPair, type RandomSource, type X25519KeyPair } from "./x25519.ts";

/** The creator's prekeys, private halves included. */
export interface Prekeys {
  /**
   * The X25519 signed prekey. Its private half is the 32 raw bytes (see
   * {@linkcode X25519KeyPair}) because it is stored in the ratchet state.
   */
  spk: X25519KeyPair;
  /** The ML-KEM-768 signed prekey. */
  pq: KemKeyPair;
}

/** Options of {@linkcode generatePrekeys}, for reproducible tests. */
export interface GeneratePrekeysOptions {
  /** Supplies the 32-byte X25519 private key. */
  random?: RandomSource;
  /** A fixed 64-byte ML-KEM seed. */
  kemSeed?: Uint8Array;
}

/**
 * Generates the creator's prekeys. Delete the private halves once the
 * joiner's first message has been answered.
 */
export async function generatePrekeys(
  backend?: KemBackend,
  options: GeneratePrekeysOptions = {},
): Promise<Prekeys> {
  const [spk, pq] = await Promise.all([
    generateX25519KeyPair(options.random),
    generateKemKeyPair(backend, { seed: options.kemSeed }),
  ]);
  return { spk, pq };
}
