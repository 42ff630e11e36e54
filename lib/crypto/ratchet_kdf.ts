/**
 * The Double Ratchet's key derivations (Signal specification, revision 1):
 * the root KDF, the chain KDF, and the expansion of a message key and a
 * per-message salt into an AES-256-GCM key and nonce.
 *
 * @module
 */

import { chainKeys } from "./chain_hmac.ts";
import { utf8 } from "./encoding.ts";
import { hkdf } from "./kdf.ts";
import { SALT_BYTES } from "./ratchet_header.ts";

/** The HKDF info of {@linkcode kdfRootKey} in this protocol. */
export const ROOT_KDF_INFO = "anon/v2/ratchet";

/** The HKDF info of {@linkcode messageCipherKey}: message key and salt to AES key and nonce. */
export const MESSAGE_KEY_INFO = "anon/v3/message-key";

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
 * `HMAC-SHA-256(ck, 0x02)`, at once (`chain_hmac.ts` says why not WebCrypto).
 */
export function kdfChainKey(
  ck: Uint8Array,
): { ck: Uint8Array<ArrayBuffer>; mk: Uint8Array<ArrayBuffer> } {
  checkKey(ck, "chain key");
  return chainKeys(ck);
}

/**
 * Expands a message key: `HKDF-SHA-256(salt, ikm = mk, info, length)`, with
 * RFC 5869's default salt of 32 zero bytes when none is given. libsignal
 * expands with no salt, info "WhisperMessageKeys" and 80 bytes; this
 * protocol goes through {@linkcode messageCipherKey}.
 */
export async function expandMessageKey(
  mk: Uint8Array,
  info: string,
  length: number,
  salt: Uint8Array = ZERO_SALT,
): Promise<Uint8Array<ArrayBuffer>> {
  checkKey(mk, "message key");
  return await hkdf(mk, salt, utf8(info), length);
}

/**
 * The AES-256-GCM key and 12-byte nonce of one message:
 * `HKDF-SHA-256(salt = the message's random salt, ikm = mk,
 * info = "anon/v3/message-key", 44)` split 32 ‖ 12.
 *
 * The fresh salt is what makes sealing safe when a ratchet state is used
 * twice (restored from a backup, a snapshot, or a write the disk lost): the
 * same message key then still gives another key and nonce, so AES-GCM never
 * sees a (key, nonce) pair twice.
 */
export async function messageCipherKey(
  mk: Uint8Array,
  salt: Uint8Array,
): Promise<{ key: Uint8Array<ArrayBuffer>; iv: Uint8Array<ArrayBuffer> }> {
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) {
    throw new TypeError(`Invalid message salt: expected ${SALT_BYTES} bytes`);
  }
  const material = await expandMessageKey(mk, MESSAGE_KEY_INFO, 44, salt);
  return { key: material.slice(0, 32), iv: material.slice(32, 44) };
}

function checkKey(key: Uint8Array, name: string): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TypeError(`Invalid ${name}: expected 32 bytes`);
  }
}
