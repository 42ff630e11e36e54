/** The chat page's JavaScript: what it loads, and that it travels compressed. */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { readManifest } from "../lib/web/build.ts";
import { pageScripts } from "../bench/page_weight.ts";
import { startTestServer } from "./fixtures/server.ts";

const BUILD_DIR = new URL("../_build/", import.meta.url);
const ISLANDS_DIR = new URL("islands/", BUILD_DIR);
/** The islands on a chat page: the chat alone (the boot script registers the service worker). */
const CHAT_PAGE = ["Chat"];
/** An error message only the `@noble/post-quantum` ML-KEM code contains. */
const NOBLE_MARKER = "wrong publicKey modulus";

Deno.test("the chat page's boot graph leaves out the noble ML-KEM chunk", async () => {
  const scripts = await pageScripts(ISLANDS_DIR, CHAT_PAGE);
  assert.ok(scripts.includes("boot.js") && scripts.some((name) => name.startsWith("Chat-")));
  const noble: string[] = [];
  for await (const entry of Deno.readDir(ISLANDS_DIR)) {
    const code = await Deno.readTextFile(new URL(entry.name, ISLANDS_DIR));
    if (code.includes(NOBLE_MARKER)) noble.push(entry.name);
  }
  assert.equal(noble.length, 1, "the build has the noble fallback in one chunk");
  assert.ok(!scripts.includes(noble[0]), `${noble[0]} is loaded only by a dynamic import`);
});

Deno.test("every script of the chat page is served compressed", async () => {
  await using server = await startTestServer();
  const { buildId } = (await readManifest(BUILD_DIR))!;
  const page = await fetch(`${server.base}/c/01J00000000000000000000000`);
  const html = await page.text();
  assert.ok(html.includes(`/_islands/${buildId}/boot.js`), "the page boots this build");
  for (const name of await pageScripts(ISLANDS_DIR, CHAT_PAGE)) {
    const original = await Deno.readFile(new URL(name, ISLANDS_DIR));
    const url = new URL(`/_islands/${buildId}/${name}`, server.base);
    for (
      const [accept, coding, decode] of [
        ["br, gzip", "br", brotliDecompressSync],
        ["gzip", "gzip", gunzipSync],
      ] as const
    ) {
      const response = await rawGet(url, accept);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get("content-encoding"), coding, name);
      assert.equal(response.headers.get("vary"), "Accept-Encoding", name);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", name);
      const body = response.body;
      assert.equal(response.headers.get("content-length"), String(body.byteLength), name);
      assert.ok(body.byteLength < original.byteLength, `${name} is smaller with ${coding}`);
      assert.deepEqual(new Uint8Array(decode(body)), original, name);
    }
  }
});

Deno.test("pages with islands boot, which registers the service worker; pages without load no script", async () => {
  await using server = await startTestServer();
  const { buildId } = (await readManifest(BUILD_DIR))!;
  const boot = `<script type="module" src="/_islands/${buildId}/boot.js"></script>`;
  for (const path of ["/", "/settings", "/c/01J00000000000000000000000"]) {
    const html = await (await fetch(`${server.base}${path}`)).text();
    assert.ok(html.includes(boot), `${path} boots`);
  }
  const bootJs = await Deno.readTextFile(new URL("boot.js", ISLANDS_DIR));
  assert.match(bootJs, /serviceWorker\.register\(/, "the boot script registers the worker");
  for (const path of ["/offline", "/no-such-page"]) {
    const html = await (await fetch(`${server.base}${path}`)).text();
    assert.ok(!/<script[^>]*type="module"/.test(html), `${path} loads no script: ${html}`);
  }
});

/**
 * GETs `url` over a plain HTTP/1.1 connection, since fetch would undo the
 * coding and hide what travelled on the wire.
 */
async function rawGet(
  url: URL,
  acceptEncoding: string,
): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  using conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  const request = `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n` +
    `Accept-Encoding: ${acceptEncoding}\r\nConnection: close\r\n\r\n`;
  await conn.write(new TextEncoder().encode(request));
  const bytes = new Uint8Array(await new Response(conn.readable).arrayBuffer());
  const end = bytes.findIndex((_, i) =>
    bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10
  );
  const [statusLine, ...lines] = new TextDecoder().decode(bytes.subarray(0, end)).split("\r\n");
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  assert.ok(headers.get("transfer-encoding") === null, "the body has a Content-Length");
  return { status: Number(statusLine.split(" ")[1]), headers, body: bytes.subarray(end + 4) };
}
