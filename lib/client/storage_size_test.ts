import assert from "node:assert/strict";
import { estimateSize, formatBytes } from "./storage_size.ts";

Deno.test("estimateSize() counts UTF-8 text, binary data, keys and nested values", async () => {
  assert.equal(estimateSize("é"), 2);
  assert.equal(estimateSize(new Uint8Array(300)), 300);
  assert.equal(estimateSize({ ab: "xyz", n: 1 }), 2 + 3 + 1 + 8);
  assert.equal(estimateSize(["a", "b"]), 2);
  const key = await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
  assert.equal(estimateSize({ k: (key as CryptoKeyPair).privateKey }), 1 + 128);
  const cycle: Record<string, unknown> = { a: "x" };
  cycle.self = cycle;
  assert.equal(estimateSize(cycle), 1 + 1 + 4);
});

Deno.test("formatBytes() reads as people expect", () => {
  assert.equal(formatBytes(1), "1 byte");
  assert.equal(formatBytes(999), "999 bytes");
  assert.equal(formatBytes(3400), "3.4 KB");
  assert.equal(formatBytes(12_000_000), "12 MB");
});
