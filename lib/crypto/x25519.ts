/**
 * X25519 helpers for keys that must be stored as bytes (ratchet keys and the
 * signed prekey) and for agreements that refuse low-order peer keys.
 *
 * @module
 */

import { importSeedKey, seedToPkcs8 } from "./seed_key.ts";

/** Returns `n` bytes; injectable so tests can fix every random choice. */
export type RandomSource = (n: number) => Uint8Array;

/**
 * An X25519 key pair kept as bytes so it can be serialized, encrypted and
 * stored.
 */
export interface X25519KeyPair {
  /** The 32-byte raw public key. */
  publicKey: Uint8Array;
  /**
   * The 32-byte raw private key (RFC 7748 scalar before clamping): the bytes
   * that follow the fixed PKCS#8 header, see {@linkcode seedToPkcs8}.
   */
  privateKey: Uint8Array;
}

/** A `RandomSource` backed by `crypto.getRandomValues`. */
export function systemRandom(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Generates an X25519 key pair whose private half is plain bytes. */
export async function generateX25519KeyPair(
  random: RandomSource = systemRandom,
): Promise<X25519KeyPair> {
  const seed = random(32);
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new TypeError("Invalid random source: expected 32 bytes for an X25519 key");
  }
  const { publicKey } = await importSeedKey("X25519", seed);
  return { publicKey, privateKey: seed.slice() };
}

/**
 * Computes X25519 between a private key (`CryptoKey` or 32 raw bytes) and a
 * raw public key. Throws `TypeError` for a key of the wrong size and `Error`
 * for a low-order public key, whose all-zero result anyone could compute.
 */
export async function x25519(
  privateKey: CryptoKey | Uint8Array,
  publicKey: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new TypeError("Invalid X25519 public key: expected 32 bytes");
  }
  const key = privateKey instanceof Uint8Array
    ? await crypto.subtle.importKey(
      "pkcs8",
      seedToPkcs8("X25519", privateKey),
      "X25519",
      false,
      ["deriveBits"],
    )
    : privateKey;
  const peer = await crypto.subtle.importKey(
    "raw",
    publicKey.slice(),
    "X25519",
    true,
    [],
  );
  let shared: Uint8Array<ArrayBuffer>;
  try {
    shared = new Uint8Array(
      await crypto.subtle.deriveBits({ name: "X25519", public: peer }, key, 256),
    );
  } catch (error) {
    // Some engines refuse the all-zero result themselves.
    throw new Error("X25519 failed: the public key is a low-order point", {
      cause: error,
    });
  }
  if (shared.every((byte) => byte === 0)) {
    throw new Error("X25519 failed: the public key is a low-order point");
  }
  return shared;
}
