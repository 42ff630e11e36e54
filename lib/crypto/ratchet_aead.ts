/**
 * The AEAD of one Double Ratchet message: AES-256-GCM with a 128-bit tag,
 * under the key and nonce that {@linkcode messageCipherKey} derives from the
 * message key and the message's random salt.
 *
 * @module
 */

import { messageCipherKey } from "./ratchet_kdf.ts";

/** Encrypts `plaintext` under the message key `mk` and `salt`, binding `aad`. */
export async function sealWithMessageKey(
  mk: Uint8Array,
  salt: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const { key, iv } = await aesKey(mk, salt, "encrypt");
  return new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: aad.slice(), tagLength: 128 },
      key,
      plaintext.slice(),
    ),
  );
}

/**
 * Decrypts `ciphertext` (with its 16-byte tag) under `mk` and `salt`. Rejects
 * with WebCrypto's `OperationError` when it does not authenticate.
 */
export async function openWithMessageKey(
  mk: Uint8Array,
  salt: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const { key, iv } = await aesKey(mk, salt, "decrypt");
  return new Uint8Array(
    await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: aad.slice(), tagLength: 128 },
      key,
      ciphertext.slice(),
    ),
  );
}

async function aesKey(mk: Uint8Array, salt: Uint8Array, usage: KeyUsage) {
  const material = await messageCipherKey(mk, salt);
  const key = await crypto.subtle.importKey("raw", material.key, "AES-GCM", false, [usage]);
  material.key.fill(0);
  return { key, iv: material.iv };
}
