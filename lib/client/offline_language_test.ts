import assert from "node:assert/strict";
import { refreshStoredPages } from "./offline_language.ts";

const ORIGIN = "http://127.0.0.1:1";
const CHAT = "/c/01JGZ0000000000000000000C2";

/** A cache of the service worker, with a name, holding `paths`; Deno's own Cache Storage. */
async function shellCache(name: string, paths: string[]): Promise<Cache> {
  const cache = await caches.open(name);
  for (const path of paths) await cache.put(`${ORIGIN}${path}`, new Response(`old ${path}`));
  return cache;
}

Deno.test("after a language change the stored home, offline, manifest and chat pages are fetched again", async () => {
  const name = `anon-shell-test-${crypto.randomUUID()}`;
  const cache = await shellCache(name, [
    "/",
    "/offline",
    "/manifest.webmanifest",
    CHAT,
    "/app.css",
  ]);
  try {
    const fetched: string[] = [];
    const refreshed = await refreshStoredPages(caches, (input) => {
      fetched.push(String(input));
      return Promise.resolve(new Response(`new ${input}`));
    });
    assert.equal(refreshed, 4);
    assert.deepEqual(fetched.sort(), ["/", "/manifest.webmanifest", "/offline", CHAT].sort());
    assert.equal(await (await cache.match(`${ORIGIN}/offline`))!.text(), "new /offline");
    assert.equal(await (await cache.match(`${ORIGIN}/app.css`))!.text(), "old /app.css");
  } finally {
    await caches.delete(name);
  }
});

Deno.test("a page that cannot be fetched keeps its stored copy, and other caches are left alone", async () => {
  const name = `anon-shell-test-${crypto.randomUUID()}`;
  const other = `someone-else-${crypto.randomUUID()}`;
  const cache = await shellCache(name, ["/"]);
  const foreign = await shellCache(other, ["/"]);
  try {
    const refreshed = await refreshStoredPages(
      caches,
      () => Promise.reject(new TypeError("offline")),
    );
    assert.equal(refreshed, 0);
    assert.equal(await (await cache.match(`${ORIGIN}/`))!.text(), "old /");
    assert.equal(await (await foreign.match(`${ORIGIN}/`))!.text(), "old /");
  } finally {
    await caches.delete(name);
    await caches.delete(other);
  }
});
