import { t } from "../i18n/i18n.ts";

/**
 * Checks that this browser can run the protocol: a secure context, WebCrypto
 * with Ed25519 and X25519, IndexedDB and Web Locks.
 *
 * @returns null when everything is there, else a sentence (in the active language) saying what is not
 */
export async function checkBrowserSupport(): Promise<string | null> {
  if (!globalThis.isSecureContext) {
    return t("chat.unsupported_insecure");
  }
  if (!globalThis.crypto?.subtle) {
    return t("chat.unsupported_crypto");
  }
  try {
    await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
    await crypto.subtle.generateKey("X25519", false, ["deriveBits"]);
  } catch {
    return t("chat.unsupported_keys");
  }
  if (!globalThis.indexedDB) {
    return t("chat.unsupported_storage");
  }
  if (!globalThis.navigator?.locks) {
    return t("chat.unsupported_locks");
  }
  return null;
}
