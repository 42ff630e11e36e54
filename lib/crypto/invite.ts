/**
 * The invite secret `S`: its link, and the keys derived from it.
 *
 * `S` travels only in the URL fragment, which browsers never send to the
 * server, so the server can check access signatures but never make one.
 *
 * @module
 */

import { decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import { hkdf } from "./kdf.ts";
import { importSeedKey } from "./seed_key.ts";

/** The size of the invite secret in bytes. */
export const INVITE_SECRET_BYTES = 32;

/** The conversation's access key: private half and raw public key. */
export interface AccessKey {
  /** The non-extractable Ed25519 private key, usable to sign bundles. */
  privateKey: CryptoKey;
  /** The 32-byte Ed25519 public key the server stores as `accessKey`. */
  publicKey: Uint8Array<ArrayBuffer>;
}

const ACCESS_INFO = "anon/v1/access";
const PSK_INFO = "anon/v1/psk";

/** Makes a fresh random invite secret. */
export function generateInviteSecret(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(INVITE_SECRET_BYTES));
}

/**
 * Reads the invite secret from a URL fragment such as `location.hash`, with or
 * without its leading `#`.
 *
 * Error messages never include the fragment, since it is a secret.
 */
export function parseInviteFragment(hash: string): Uint8Array<ArrayBuffer> {
  if (typeof hash !== "string") {
    throw new TypeError("Invalid invite link: expected a string");
  }
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  if (text === "") throw new TypeError("Invalid invite link: missing secret");
  try {
    return decodeBase64Url(text, {
      length: INVITE_SECRET_BYTES,
      name: "invite secret",
    });
  } catch (error) {
    throw new TypeError(`Invalid invite link: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Builds the link a creator shares: `${origin}/c/${id}#${secret}`. */
export function formatInviteLink(
  origin: string,
  conversationId: string,
  secret: Uint8Array,
): string {
  assertSecret(secret);
  return `${origin}/c/${encodeURIComponent(conversationId)}#${encodeBase64Url(secret)}`;
}

/**
 * Derives the conversation's Ed25519 access key from the invite secret.
 *
 * @example
 * ```ts
 * const { publicKey } = await deriveAccessKey(secret);
 * ```
 */
export async function deriveAccessKey(secret: Uint8Array): Promise<AccessKey> {
  assertSecret(secret);
  const seed = await hkdf(secret, new Uint8Array(), utf8(ACCESS_INFO), 32);
  return await importSeedKey("Ed25519", seed);
}

/** Derives the 32-byte salt that binds every session key to the secret. */
export async function deriveSessionSalt(
  secret: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  assertSecret(secret);
  return await hkdf(secret, new Uint8Array(), utf8(PSK_INFO), 32);
}

function assertSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array)) {
    throw new TypeError("Invalid invite secret: expected a Uint8Array");
  }
  if (secret.length !== INVITE_SECRET_BYTES) {
    throw new TypeError(
      `Invalid invite secret: expected ${INVITE_SECRET_BYTES} bytes, got ${secret.length}`,
    );
  }
}
