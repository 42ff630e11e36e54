/**
 * Keeps the service worker's stored pages in the language this browser
 * chose. The worker stores the home page, the offline page, the web manifest
 * and each opened chat page as the server rendered them, in the language of
 * the moment (`static/sw.js`); after the language changes, each is fetched
 * again, with the new cookie, and replaces the old copy. Nothing else in the
 * cache is touched.
 *
 * @module
 */
import { SHELL_CACHE_PREFIX } from "./offline_pages.ts";

/** Paths whose content depends on the language. */
const LOCALIZED = /^\/(offline|manifest\.webmanifest|c\/[0-9A-HJKMNP-TV-Z]{26})?$/;

/**
 * Fetches again every stored page of the service worker's caches whose
 * text depends on the language; a page that cannot be fetched keeps its old
 * copy. Does nothing where there is no Cache Storage.
 */
export async function refreshStoredPages(
  storage: CacheStorage | undefined = globalThis.caches,
  fetcher: typeof fetch = globalThis.fetch,
): Promise<number> {
  if (storage === undefined) return 0;
  let refreshed = 0;
  for (const name of await storage.keys()) {
    if (!name.startsWith(SHELL_CACHE_PREFIX)) continue;
    const cache = await storage.open(name);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (!LOCALIZED.test(path)) continue;
      try {
        const response = await fetcher(path, { cache: "no-store", credentials: "same-origin" });
        if (!response.ok || response.redirected) continue;
        await cache.put(request, response);
        refreshed++;
      } catch {
        // Offline: the old copy stays until the next change or build.
      }
    }
  }
  return refreshed;
}
