/**
 * Content-Encoding as it travels from the real server: brotli when the
 * request allows it, gzip when only gzip is allowed, and the bytes as they
 * are when the request has no Accept-Encoding at all.
 */
import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { readManifest } from "../lib/web/build.ts";
import { startTestServer } from "./fixtures/server.ts";

const BUILD_DIR = new URL("../_build/", import.meta.url);

/** GETs `path` on a raw HTTP/1.1 connection, so the coding is seen as it travelled. */
async function rawGet(
  base: string,
  path: string,
  acceptEncoding: string | null,
): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  const url = new URL(path, base);
  using conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  const accept = acceptEncoding === null ? "" : `Accept-Encoding: ${acceptEncoding}\r\n`;
  await conn.write(new TextEncoder().encode(
    `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n${accept}Connection: close\r\n\r\n`,
  ));
  const bytes = new Uint8Array(await new Response(conn.readable).arrayBuffer());
  let end = 0;
  while (
    !(bytes[end] === 13 && bytes[end + 1] === 10 && bytes[end + 2] === 13 && bytes[end + 3] === 10)
  ) {
    end++;
  }
  const [statusLine, ...lines] = new TextDecoder().decode(bytes.subarray(0, end)).split("\r\n");
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: bytes.subarray(end + 4) };
}

Deno.test("a script and a stylesheet travel in the coding Accept-Encoding allows: none, gzip only, or br", async (t) => {
  await using server = await startTestServer();
  const { buildId } = (await readManifest(BUILD_DIR))!;
  const files: [string, URL][] = [
    [`/_islands/${buildId}/boot.js`, new URL("islands/boot.js", BUILD_DIR)],
    ["/app.css", new URL("../static/app.css", import.meta.url)],
  ];
  for (const [path, file] of files) {
    const original = await Deno.readFile(file);
    for (
      const [accept, coding, decode] of [
        [null, null, (body: Uint8Array) => body],
        ["gzip", "gzip", gunzipSync],
        ["br", "br", brotliDecompressSync],
        ["gzip, br", "br", brotliDecompressSync],
      ] as const
    ) {
      await t.step(`${path} with ${accept ?? "no Accept-Encoding"}`, async () => {
        const response = await rawGet(server.base, path, accept);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-encoding"), coding);
        assert.equal(response.headers.get("vary"), "Accept-Encoding");
        assert.equal(response.headers.get("content-length"), String(response.body.byteLength));
        assert.deepEqual(new Uint8Array(decode(response.body)), original);
      });
    }
  }
});
