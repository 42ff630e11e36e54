/**
 * The chat pages the service worker keeps for reading offline (`static/sw.js`):
 * one per conversation opened in this browser, keyed by its path. They hold
 * no message or key, but do show which conversations were opened here, so
 * they go when the conversation is deleted.
 *
 * @module
 */

/** Prefix of the service worker's caches. */
export const SHELL_CACHE_PREFIX = "anon-shell-";

/** The path of a conversation's chat page, as the service worker keys it. */
export function chatPagePath(id: string): string {
  return `/c/${id}`;
}

/**
 * Removes the kept chat pages of the conversations `ids` from every cache of
 * the service worker; nothing happens where there is no Cache Storage.
 */
export async function forgetOfflinePages(
  ids: readonly string[],
  storage: CacheStorage | undefined = globalThis.caches,
): Promise<void> {
  if (storage === undefined) return;
  for (const name of await storage.keys()) {
    if (!name.startsWith(SHELL_CACHE_PREFIX)) continue;
    const cache = await storage.open(name);
    for (const id of ids) await cache.delete(chatPagePath(id));
  }
}
