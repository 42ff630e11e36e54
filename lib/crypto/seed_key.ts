/**
 * Imports an Ed25519 or X25519 private key from its 32-byte seed.
 *
 * WebCrypto has no "raw" import for private keys, so the seed is wrapped in
 * the fixed PKCS#8 header of RFC 8410.
 *
 * @module
 */

import { concatBytes, decodeBase64Url } from "./encoding.ts";

/** The curve algorithms a seed can be imported as. */
export type SeedAlgorithm = "Ed25519" | "X25519";

/** A private key imported from a seed, with its raw public key. */
export interface SeedKey {
  /** The non-extractable private key. */
  privateKey: CryptoKey;
  /** The 32-byte raw public key. */
  publicKey: Uint8Array<ArrayBuffer>;
}

// SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { OCTET STRING (32) } }
// deno-fmt-ignore
const PKCS8_PREFIXES: Record<SeedAlgorithm, Uint8Array> = {
  // OID 1.3.101.112
  Ed25519: Uint8Array.of(
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
    0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
  ),
  // OID 1.3.101.110
  X25519: Uint8Array.of(
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
    0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
  ),
};

const USAGES: Record<SeedAlgorithm, KeyUsage[]> = {
  Ed25519: ["sign"],
  X25519: ["deriveBits"],
};

/** Wraps a 32-byte seed in the PKCS#8 encoding WebCrypto imports. */
export function seedToPkcs8(
  algorithm: SeedAlgorithm,
  seed: Uint8Array,
): Uint8Array<ArrayBuffer> {
  if (seed.length !== 32) {
    throw new TypeError(
      `Cannot import ${algorithm} seed: expected 32 bytes, got ${seed.length}`,
    );
  }
  return concatBytes(PKCS8_PREFIXES[algorithm], seed);
}

/**
 * Imports a private key from its seed and computes its public key.
 *
 * The public key comes from a JWK export of a short-lived extractable copy;
 * the key returned is imported again as non-extractable.
 */
export async function importSeedKey(
  algorithm: SeedAlgorithm,
  seed: Uint8Array,
): Promise<SeedKey> {
  const pkcs8 = seedToPkcs8(algorithm, seed);
  const extractable = await crypto.subtle.importKey(
    "pkcs8",
    pkcs8,
    algorithm,
    true,
    USAGES[algorithm],
  );
  const jwk = await crypto.subtle.exportKey("jwk", extractable);
  const publicKey = decodeBase64Url(jwk.x ?? "", {
    length: 32,
    name: `${algorithm} public key`,
  });
  const privateKey = await crypto.subtle.importKey(
    "pkcs8",
    pkcs8,
    algorithm,
    false,
    USAGES[algorithm],
  );
  return { privateKey, publicKey };
}
