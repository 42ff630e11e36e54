/**
 * The ML-KEM fallback in real Chromium: with WebCrypto's ML-KEM taken away
 * before any script runs, the chat still works end to end on the
 * `@noble/post-quantum` chunk it then loads; with WebCrypto's ML-KEM there,
 * that chunk is never requested.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, createConversation, join, type Scene, send, withScene } from "./fixtures/pages.ts";

const options = { ignore: !browserTestsEnabled(), sanitizeResources: false, sanitizeOps: false };

const ISLANDS_DIR = new URL("../_build/islands/", import.meta.url);
/** An error message only the `@noble/post-quantum` ML-KEM code contains. */
const NOBLE_MARKER = "wrong publicKey modulus";

/** The file name of the build's noble ML-KEM chunk. */
async function nobleChunk(): Promise<string> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(ISLANDS_DIR)) {
    if (!entry.isFile || !entry.name.endsWith(".js")) continue;
    const code = await Deno.readTextFile(new URL(entry.name, ISLANDS_DIR));
    if (code.includes(NOBLE_MARKER)) names.push(entry.name);
  }
  assert.equal(names.length, 1, "the build has the noble fallback in one chunk");
  return names[0];
}

/**
 * Runs before any script of the page: a Chromium without ML-KEM in WebCrypto.
 * `encapsulateBits`, `decapsulateBits` and `getPublicKey` are gone, and every
 * other SubtleCrypto method refuses an ML-KEM algorithm, as a browser that
 * does not know it would, so `detectKemBackend()` answers "noble".
 */
function removeWebCryptoMlKem(): void {
  const proto = SubtleCrypto.prototype as unknown as Record<string, unknown>;
  for (const name of ["encapsulateBits", "decapsulateBits", "encapsulateKey", "decapsulateKey"]) {
    delete proto[name];
  }
  delete proto.getPublicKey;
  const isMlKem = (algorithm: unknown) => {
    const name = typeof algorithm === "string"
      ? algorithm
      : (algorithm as { name?: unknown } | null)?.name;
    return typeof name === "string" && name.toUpperCase().startsWith("ML-KEM");
  };
  for (const method of ["generateKey", "importKey", "exportKey"] as const) {
    const original = proto[method] as (...args: unknown[]) => Promise<unknown>;
    proto[method] = function (this: SubtleCrypto, ...args: unknown[]) {
      const algorithm = method === "importKey"
        ? args[2]
        : method === "exportKey"
        ? args[1]
        : args[0];
      const keyAlgorithm = method === "exportKey" ? (args[1] as CryptoKey).algorithm : algorithm;
      if (isMlKem(keyAlgorithm)) {
        return Promise.reject(new DOMException("Unrecognized algorithm name", "NotSupportedError"));
      }
      return original.apply(this, args);
    };
  }
}

/**
 * Records the path of every request the page itself makes (its frames'
 * scripts, imports included). The service worker's own requests are not
 * the page's: it precaches every chunk of the build, the fallback too, so
 * the app opens offline in any browser.
 */
function recordRequests(page: Page): string[] {
  const paths: string[] = [];
  page.on("request", (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

/** Two pages join one conversation and exchange a message each way. */
async function chatBothWays(scene: Scene, adam: Page, eve: Page): Promise<void> {
  const invite = await createConversation(adam, scene.server.base);
  await join(adam, eve, invite);
  await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
  await send(adam, "Hello from Adam over the fallback");
  await bubble(eve, "Hello from Adam over the fallback").waitFor();
  await send(eve, "And back from Eve");
  await bubble(adam, "And back from Eve").waitFor();
}

Deno.test(
  "the chat works end to end on the noble ML-KEM fallback when subtle.encapsulateBits is removed",
  options,
  async () => {
    const chunk = await nobleChunk();
    await withScene(async (scene) => {
      const adam = await scene.newPage();
      const eve = await scene.newPage();
      const requests = [adam, eve].map(recordRequests);
      for (const page of [adam, eve]) await page.addInitScript(removeWebCryptoMlKem);
      // The init script really ran: this page has no WebCrypto ML-KEM.
      await adam.goto(`${scene.server.base}/`);
      assert.equal(
        await adam.evaluate(() => "encapsulateBits" in crypto.subtle),
        false,
        "encapsulateBits is gone before the page's scripts run",
      );
      await chatBothWays(scene, adam, eve);
      assert.ok(
        requests.flat().some((path) => path.endsWith(`/${chunk}`)),
        `the pages loaded the noble chunk ${chunk}`,
      );
      assert.deepEqual(scene.errors, []);
    });
  },
);

Deno.test(
  "a page with WebCrypto ML-KEM never requests the noble chunk",
  options,
  async () => {
    const chunk = await nobleChunk();
    await withScene(async (scene) => {
      const adam = await scene.newPage();
      const eve = await scene.newPage();
      const requests = [adam, eve].map(recordRequests);
      await chatBothWays(scene, adam, eve);
      assert.equal(
        await adam.evaluate(() => "encapsulateBits" in crypto.subtle),
        true,
        "this Chromium has WebCrypto ML-KEM",
      );
      const all = requests.flat();
      assert.ok(all.some((path) => path.includes("/_islands/")), "the pages loaded the islands");
      assert.deepEqual(all.filter((path) => path.endsWith(`/${chunk}`)), []);
      assert.deepEqual(scene.errors, []);
    });
  },
);
