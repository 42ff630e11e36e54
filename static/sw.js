// The service worker of The Anonymous. It keeps only the application shell
// (the home page, the offline page, styles, icons and the current islands
// build) so the app opens without a network, and the chat page of each
// conversation opened here, so its history can be read offline. That page is
// the same for every conversation but for the ID in its path: it holds no
// message, key or secret (the invite secret is in the fragment, which never
// reaches a service worker). It never stores API answers or anything a
// conversation holds: those live in IndexedDB, end-to-end encrypted traffic
// goes through the WebSocket, and requests it does not own pass through
// untouched.
//
// Registered as /sw.js?build=<islands build id>: a new build is a new script
// URL, hence a new worker with its own cache, and the old cache is dropped.

const BUILD = new URL(self.location.href).searchParams.get("build") || "none";
const CACHE_PREFIX = "anon-shell-";
const CACHE = CACHE_PREFIX + BUILD;
const OFFLINE_URL = "/offline";
const PAGES = ["/", OFFLINE_URL];
const EXTRA = ["/manifest.webmanifest", "/icon-192.png", "/icon-512.png"];
/** A conversation's chat page: `/c/` and a ULID, nothing after it. */
const CHAT_PAGE = /^\/c\/[0-9A-HJKMNP-TV-Z]{26}$/;

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || /^\/api(\/|$)/.test(url.pathname)) return;
  if (request.mode === "navigate") {
    // Every page comes from the network; only a conversation's chat page is
    // stored on the way: offline, the cached page of that path, the cached
    // home page, or the offline page.
    event.respondWith(navigate(request, url));
  } else if (isBuildFile(url) || url.searchParams.has("v") || EXTRA.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, url));
  }
});

function isBuildFile(url) {
  return url.pathname.startsWith(`/_islands/${BUILD}/`);
}

/** The network's answer, or when there is no network a page from the cache. */
async function navigate(request, url) {
  const chat = CHAT_PAGE.test(url.pathname);
  try {
    const response = await fetch(request);
    if (chat && response.status === 200 && !response.redirected) {
      // Keyed by the path alone: no query, and never the fragment.
      const cache = await caches.open(CACHE);
      await cache.put(url.pathname, response.clone()).catch(() => {});
    }
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    const cached = ((url.pathname === "/" || chat) && await cache.match(url.pathname)) ||
      await cache.match(OFFLINE_URL);
    if (cached) return cached;
    throw error;
  }
}

/** Hashed and build files never change under one URL: the cache answers first. */
async function cacheFirst(request, url) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && (isBuildFile(url) || url.searchParams.has("v"))) {
    await cache.put(request, response.clone());
  }
  return response;
}

/** Stores the pages, every file they link, and the whole islands build. */
async function precache() {
  const cache = await caches.open(CACHE);
  const files = new Set(EXTRA);
  for (const page of PAGES) {
    const response = await fetch(page, { cache: "no-store" });
    if (!response.ok) throw new Error(`Cannot cache "${page}": status ${response.status}`);
    await cache.put(page, response.clone());
    for (const match of (await response.text()).matchAll(/(?:src|href)="(\/[^"/][^"]*)"/g)) {
      const path = match[1].replaceAll("&amp;", "&");
      const url = new URL(path, self.location.origin);
      if (isBuildFile(url) || /\.\w+$/.test(url.pathname)) files.add(path);
    }
  }
  const scripts = [...files].filter((path) => path.startsWith(`/_islands/${BUILD}/`));
  for (let i = 0; i < scripts.length; i++) {
    const response = await fetch(scripts[i]);
    if (!response.ok) continue;
    await cache.put(scripts[i], response.clone());
    for (const match of (await response.text()).matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) {
      const path = new URL(match[1], new URL(scripts[i], self.location.origin)).pathname;
      if (!scripts.includes(path)) scripts.push(path);
    }
  }
  await Promise.all(
    [...files].filter((path) => !scripts.includes(path)).map(async (path) => {
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response);
    }),
  );
}
