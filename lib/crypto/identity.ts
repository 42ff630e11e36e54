/**
 * A participant's per-conversation identity keys.
 *
 * @module
 */

/** Ed25519 signing and X25519 key-agreement keys, with raw public keys. */
export interface Identity {
  /** Proves possession in the socket `auth` frame. */
  signing: CryptoKeyPair;
  /** Agrees the session keys with the peer. */
  dh: CryptoKeyPair;
  /** The 32-byte raw Ed25519 public key. */
  signPublic: Uint8Array;
  /** The 32-byte raw X25519 public key. */
  dhPublic: Uint8Array;
}

/**
 * Generates a fresh identity. The private keys are non-extractable, so even
 * script running in the page cannot read them out of IndexedDB.
 */
export async function generateIdentity(): Promise<Identity> {
  const signing = await crypto.subtle.generateKey("Ed25519", false, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const dh = await crypto.subtle.generateKey("X25519", false, [
    "deriveBits",
  ]) as CryptoKeyPair;
  const [signPublic, dhPublic] = await Promise.all([
    crypto.subtle.exportKey("raw", signing.publicKey),
    crypto.subtle.exportKey("raw", dh.publicKey),
  ]);
  return {
    signing,
    dh,
    signPublic: new Uint8Array(signPublic),
    dhPublic: new Uint8Array(dhPublic),
  };
}
