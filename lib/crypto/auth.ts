/**
 * The socket challenge–response: a participant signs the server's nonce to
 * prove it holds the private key of its bundle's `sign` key.
 *
 * @module
 */

import { concatBytes, utf8 } from "./encoding.ts";

/** The domain separator in front of the signed challenge. */
export const AUTH_CONTEXT = "anon/v1/auth";

/** The size of the server's challenge nonce in bytes. */
export const AUTH_NONCE_BYTES = 32;

/** Signs the server's challenge for one conversation. */
export async function signAuth(
  signPrivateKey: CryptoKey,
  conversationId: string,
  nonce: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const signature = await crypto.subtle.sign(
    "Ed25519",
    signPrivateKey,
    authMessage(conversationId, nonce),
  );
  return new Uint8Array(signature);
}

/** Verifies a challenge signature. Resolves to false on any invalid input. */
export async function verifyAuth(
  signPublic: Uint8Array,
  conversationId: string,
  nonce: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    if (signPublic.length !== 32 || signature.length !== 64) return false;
    const key = await crypto.subtle.importKey(
      "raw",
      signPublic.slice(),
      "Ed25519",
      false,
      ["verify"],
    );
    return await crypto.subtle.verify(
      "Ed25519",
      key,
      signature.slice(),
      authMessage(conversationId, nonce),
    );
  } catch {
    return false;
  }
}

function authMessage(
  conversationId: string,
  nonce: Uint8Array,
): Uint8Array<ArrayBuffer> {
  if (typeof conversationId !== "string") {
    throw new TypeError("Invalid auth challenge: expected a conversation ID");
  }
  if (nonce.length !== AUTH_NONCE_BYTES) {
    throw new TypeError(
      `Invalid auth challenge: expected a ${AUTH_NONCE_BYTES}-byte nonce, got ${nonce.length}`,
    );
  }
  return concatBytes(utf8(AUTH_CONTEXT), utf8(conversationId), nonce);
}
