/**
 * The Double Ratchet's key derivations (Signal specification, revision 1):
 * the root KDF, the chain KDF, and the expansion of a message key into an
 * AEAD key and nonce.
 *
 * @module
 */

import { utf8 } from "./encoding.ts";
import { hkdf } from "./kdf.ts";

/** The HKDF info of {@linkcode kdfRootKey} in this protocol. */
export const ROOT_KDF_INFO = "anon/v2/ratchet";

const MESSAGE_KEY_SEED = Uint8Array.of(0x01);
const CHAIN_KEY_SEED = Uint8Array.of(0x02);
// RFC 5869: an absent salt is HashLen zero bytes (libsignal passes None).
const ZERO_SALT = new Uint8Array(32);

/**
 * KDF_RK: `HKDF-SHA-256(salt = rk, ikm = dhOut, info, 64)` split into the
 * next root key and a chain key.
 */
export async function kdfRootKey(
  rk: Uint8Array,
  dhOut: Uint8Array,
  info: string = ROOT_KDF_INFO,
): Promise<{ rk: Uint8Array<ArrayBuffer>; ck: Uint8Array<ArrayBuffer> }> {
  checkKey(rk, "root key");
  const okm = await hkdf(dhOut, rk, utf8(info), 64);
  return { rk: okm.slice(0, 32), ck: okm.slice(32, 64) };
}

/**
 * KDF_CK: message key `HMAC-SHA-256(ck, 0x01)` and next chain key
 * `HMAC-SHA-256(ck, 0x02)`.
 */
export async function kdfChainKey(
  ck: Uint8Array,
): Promise<{ ck: Uint8Array<ArrayBuffer>; mk: Uint8Array<ArrayBuffer> }> {
  checkKey(ck, "chain key");
  const key = await crypto.subtle.importKey(
    "raw",
    ck.slice(),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const [mk, next] = await Promise.all([
    crypto.subtle.sign("HMAC", key, MESSAGE_KEY_SEED),
    crypto.subtle.sign("HMAC", key, CHAIN_KEY_SEED),
  ]);
  return { ck: new Uint8Array(next), mk: new Uint8Array(mk) };
}

/**
 * Expands a message key: `HKDF-SHA-256(salt = 32 zero bytes, ikm = mk,
 * info, length)`. With info "anon/v2/message" and 44 bytes this protocol
 * takes a 32-byte AES-256-GCM key and a 12-byte nonce; libsignal uses
 * "WhisperMessageKeys" and 80 bytes.
 */
export async function expandMessageKey(
  mk: Uint8Array,
  info: string,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  checkKey(mk, "message key");
  return await hkdf(mk, ZERO_SALT, utf8(info), length);
}

function checkKey(key: Uint8Array, name: string): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TypeError(`Invalid ${name}: expected 32 bytes`);
  }
}
