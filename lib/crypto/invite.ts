/**
 * The invite link, the secret `S` it carries, and the keys derived from `S`.
 *
 * The link is `${origin}/c/${conversationId}#${fragment}`, where the fragment
 * is the base64url (unpadded) of `S ‖ F`: the 32-byte secret followed by the
 * 16-byte invite fingerprint `F` of the creator's identity keys (see
 * `invite_fingerprint.ts`), 48 bytes in 64 characters. Browsers never send a
 * fragment to the server, so the server can check access signatures but
 * never make one; `F` lets the joiner refuse any creator keys but the ones
 * the link was made for, even when whoever serves them knows `S`.
 *
 * Links of the older version carried `S` alone (43 characters); they are
 * refused with an {@linkcode OutdatedInviteError}.
 *
 * @module
 */

import { concatBytes, decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import { hkdf } from "./kdf.ts";
import { INVITE_FINGERPRINT_BYTES } from "./invite_fingerprint.ts";
import { importSeedKey } from "./seed_key.ts";

/** The size of the invite secret in bytes. */
export const INVITE_SECRET_BYTES = 32;
/** The length of the fragment of an invite link, without the `#`. */
export const INVITE_FRAGMENT_LENGTH = 64;

/** The conversation's access key: private half and raw public key. */
export interface AccessKey {
  /** The non-extractable Ed25519 private key, usable to sign bundles. */
  privateKey: CryptoKey;
  /** The 32-byte Ed25519 public key the server stores as `accessKey`. */
  publicKey: Uint8Array<ArrayBuffer>;
}

/** What an invite link carries after its `#`. */
export interface Invite {
  /** The 32-byte invite secret `S`. */
  secret: Uint8Array<ArrayBuffer>;
  /** The 16-byte fingerprint of the creator's identity keys. */
  fingerprint: Uint8Array<ArrayBuffer>;
}

/** An invite link of the older version, which did not name the creator's keys. */
export class OutdatedInviteError extends TypeError {
  constructor() {
    super("Invalid invite link: it is from an older version that did not name the creator's keys");
    this.name = "OutdatedInviteError";
  }
}

const ACCESS_INFO = "anon/v1/access";
const PSK_INFO = "anon/v1/psk";

/** Makes a fresh random invite secret. */
export function generateInviteSecret(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(INVITE_SECRET_BYTES));
}

/**
 * Reads the invite from a URL fragment such as `location.hash`, with or
 * without its leading `#`. Throws a `TypeError`, and an
 * {@linkcode OutdatedInviteError} for a link of the older version.
 *
 * Error messages never include the fragment, since it holds the secret.
 */
export function parseInviteFragment(hash: string): Invite {
  if (typeof hash !== "string") {
    throw new TypeError("Invalid invite link: expected a string");
  }
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  if (text === "") throw new TypeError("Invalid invite link: missing secret");
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = decodeBase64Url(text, { name: "invite" });
  } catch (error) {
    throw new TypeError(`Invalid invite link: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (bytes.length === INVITE_SECRET_BYTES) throw new OutdatedInviteError();
  const expected = INVITE_SECRET_BYTES + INVITE_FINGERPRINT_BYTES;
  if (bytes.length !== expected) {
    throw new TypeError(
      `Invalid invite link: expected ${expected} bytes, got ${bytes.length}`,
    );
  }
  return {
    secret: bytes.slice(0, INVITE_SECRET_BYTES),
    fingerprint: bytes.slice(INVITE_SECRET_BYTES),
  };
}

/** Builds the link a creator shares: `${origin}/c/${id}#${secret ‖ fingerprint}`. */
export function formatInviteLink(
  origin: string,
  conversationId: string,
  invite: Invite,
): string {
  assertSecret(invite.secret);
  const { fingerprint } = invite;
  if (
    !(fingerprint instanceof Uint8Array) || fingerprint.length !== INVITE_FINGERPRINT_BYTES
  ) {
    throw new TypeError(
      `Invalid invite fingerprint: expected ${INVITE_FINGERPRINT_BYTES} bytes`,
    );
  }
  const fragment = encodeBase64Url(concatBytes(invite.secret, fingerprint));
  return `${origin}/c/${encodeURIComponent(conversationId)}#${fragment}`;
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
