import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { compress, isCompressible, negotiateEncoding } from "./encoding.ts";

const BOTH = ["br", "gzip"] as const;

Deno.test("negotiateEncoding() sends identity when Accept-Encoding is absent or empty", () => {
  assert.equal(negotiateEncoding(null, BOTH), "identity");
  assert.equal(negotiateEncoding("", BOTH), "identity");
  assert.equal(negotiateEncoding("identity", BOTH), "identity");
  assert.equal(negotiateEncoding("deflate, zstd", BOTH), "identity");
});

Deno.test("negotiateEncoding() prefers brotli, then gzip, when weighed equally", () => {
  assert.equal(negotiateEncoding("gzip, deflate, br, zstd", BOTH), "br");
  assert.equal(negotiateEncoding("gzip", BOTH), "gzip");
  assert.equal(negotiateEncoding("x-gzip", BOTH), "gzip");
  assert.equal(negotiateEncoding("GZIP , BR", BOTH), "br");
  assert.equal(negotiateEncoding("br", ["gzip"]), "identity");
  assert.equal(negotiateEncoding("gzip, br", ["gzip"]), "gzip");
  assert.equal(negotiateEncoding("gzip, br", []), "identity");
});

Deno.test("negotiateEncoding() follows q-values and refuses a coding at q=0", () => {
  assert.equal(negotiateEncoding("br;q=0, gzip", BOTH), "gzip");
  assert.equal(negotiateEncoding("br;q=0.5, gzip;q=0.8", BOTH), "gzip");
  assert.equal(negotiateEncoding("br; q=1.0, gzip;q=0.999", BOTH), "br");
  assert.equal(negotiateEncoding("br;q=0, gzip;q=0", BOTH), "identity");
  assert.equal(negotiateEncoding("gzip;q=0.001", BOTH), "gzip");
});

Deno.test("negotiateEncoding() gives unlisted codings the weight of *", () => {
  assert.equal(negotiateEncoding("*", BOTH), "br");
  assert.equal(negotiateEncoding("*;q=0", BOTH), "identity");
  assert.equal(negotiateEncoding("br;q=0, *", BOTH), "gzip");
  assert.equal(negotiateEncoding("gzip;q=0.2, *;q=0.5", BOTH), "br");
  assert.equal(negotiateEncoding("identity;q=0, *;q=0", BOTH), "identity");
});

Deno.test("negotiateEncoding() ignores entries with a malformed q-value", () => {
  assert.equal(negotiateEncoding("br;q=2, gzip", BOTH), "gzip");
  assert.equal(negotiateEncoding("br;q=abc", BOTH), "identity");
  assert.equal(negotiateEncoding("br;q=0.0001, gzip;q=", BOTH), "identity");
  assert.equal(negotiateEncoding(",,; ,br", BOTH), "br");
});

Deno.test("compress() bodies decompress to the original and are smaller", () => {
  const text = new TextEncoder().encode("body { color: black; }\n".repeat(200));
  const { br, gzip } = compress(text);
  assert.ok(br !== undefined && br.byteLength < text.byteLength);
  assert.ok(gzip !== undefined && gzip.byteLength < text.byteLength);
  assert.deepEqual(new Uint8Array(brotliDecompressSync(br)), text);
  assert.deepEqual(new Uint8Array(gunzipSync(gzip)), text);
  assert.deepEqual(compress(new Uint8Array([1])), {}, "a coding that grows the body is dropped");
});

Deno.test("isCompressible() picks text types and leaves images and fonts alone", () => {
  for (const type of ["text/css; charset=utf-8", "text/javascript", "image/svg+xml"]) {
    assert.ok(isCompressible(type), type);
  }
  assert.ok(isCompressible("application/manifest+json"));
  assert.ok(isCompressible("application/json; charset=utf-8"));
  for (const type of ["image/png", "font/woff2", "application/octet-stream", "text/"]) {
    assert.ok(!isCompressible(type), type);
  }
});
