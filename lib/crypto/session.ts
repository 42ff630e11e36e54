/**
 * Stage-1 session keys: one X25519 agreement, salted with the invite secret,
 * split into one AES-256-GCM key per direction.
 *
 * @module
 */

import { assertUlid } from "./ulid.ts";
import { utf8 } from "./encoding.ts";
import { deriveSessionSalt } from "./invite.ts";
import { hkdf } from "./kdf.ts";

/** The two message keys of a participant, both non-extractable. */
export interface Session {
  /** Encrypts messages this participant sends. */
  sendKey: CryptoKey;
  /** Decrypts messages the peer sends. */
  receiveKey: CryptoKey;
}

/** Inputs of {@linkcode deriveSession}. */
export interface DeriveSessionOptions {
  /** This participant's ID. */
  ownId: string;
  /** The peer's ID. */
  peerId: string;
  /** This participant's X25519 private key. */
  ownDhPrivate: CryptoKey;
  /** The peer's 32-byte X25519 public key, from its verified bundle. */
  peerDhPublic: Uint8Array;
  /** The conversation's invite secret. */
  secret: Uint8Array;
}

const SESSION_INFO = "anon/v1/session";

/**
 * Derives the session keys with a peer. Both sides get the same two keys,
 * swapped: one side's `sendKey` matches the other's `receiveKey`.
 *
 * Mixing in the invite secret means a relay that substitutes its own X25519
 * key still cannot compute the keys without the secret.
 */
export async function deriveSession(
  options: DeriveSessionOptions,
): Promise<Session> {
  const { ownId, peerId, ownDhPrivate, peerDhPublic, secret } = options;
  // Fixed-length IDs make the concatenated HKDF info unambiguous.
  assertUlid(ownId, "own participant ID");
  assertUlid(peerId, "peer participant ID");
  if (ownId === peerId) {
    throw new TypeError(
      `Cannot derive session with "${peerId}": it is this participant's own ID`,
    );
  }
  const peerKey = await crypto.subtle.importKey(
    "raw",
    peerDhPublic.slice(),
    "X25519",
    true,
    [],
  );
  let shared: Uint8Array;
  try {
    shared = new Uint8Array(
      await crypto.subtle.deriveBits(
        { name: "X25519", public: peerKey },
        ownDhPrivate,
        256,
      ),
    );
  } catch (error) {
    // WebCrypto itself refuses an all-zero result in some engines.
    throw new Error(
      `Cannot derive session with "${peerId}": key agreement failed`,
      { cause: error },
    );
  }
  // A low-order peer key gives an all-zero secret that anyone can compute.
  if (shared.every((byte) => byte === 0)) {
    throw new Error(
      `Cannot derive session with "${peerId}": the peer key is a low-order point`,
    );
  }
  const salt = await deriveSessionSalt(secret);
  const [lowerId, higherId] = ownId < peerId ? [ownId, peerId] : [peerId, ownId];
  const okm = await hkdf(
    shared,
    salt,
    utf8(SESSION_INFO + lowerId + higherId),
    64,
  );
  const lowerToHigher = okm.subarray(0, 32);
  const higherToLower = okm.subarray(32, 64);
  const [sendBytes, receiveBytes] = ownId < peerId
    ? [lowerToHigher, higherToLower]
    : [higherToLower, lowerToHigher];
  const [sendKey, receiveKey] = await Promise.all([
    importAesKey(sendBytes, "encrypt"),
    importAesKey(receiveBytes, "decrypt"),
  ]);
  okm.fill(0);
  shared.fill(0);
  return { sendKey, receiveKey };
}

function importAesKey(bytes: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", bytes.slice(), "AES-GCM", false, [
    usage,
  ]);
}
