/**
 * Checks that this browser can run the protocol: a secure context, WebCrypto
 * with Ed25519 and X25519, IndexedDB and Web Locks.
 *
 * @returns null when everything is there, else a sentence saying what is not
 */
export async function checkBrowserSupport(): Promise<string | null> {
  if (!globalThis.isSecureContext) {
    return "This page was not opened over a secure connection (HTTPS), so the browser turns off the cryptography it needs.";
  }
  if (!globalThis.crypto?.subtle) {
    return "This browser has no Web Cryptography support.";
  }
  try {
    await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
    await crypto.subtle.generateKey("X25519", false, ["deriveBits"]);
  } catch {
    return "This browser does not support the Ed25519 and X25519 keys this chat needs. Please update it.";
  }
  if (!globalThis.indexedDB) {
    return "This browser cannot store data for this site (IndexedDB is off, as in some private windows).";
  }
  if (!globalThis.navigator?.locks) {
    return "This browser lacks Web Locks, which keep two tabs from talking over each other.";
  }
  return null;
}
