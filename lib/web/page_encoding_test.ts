import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { encodePage } from "./page_encoding.ts";

const PAGE = "<!DOCTYPE html><html><body>" + "<p>Hallo, Welt</p>".repeat(200) + "</body></html>";

Deno.test("a page goes brotli or gzip by Accept-Encoding, and decodes to itself", () => {
  const br = encodePage(PAGE, "gzip, deflate, br");
  assert.equal(br.coding, "br");
  assert.equal(new TextDecoder().decode(brotliDecompressSync(br.body as Uint8Array)), PAGE);
  assert.ok((br.body as Uint8Array).byteLength < PAGE.length / 10);
  const gzip = encodePage(PAGE, "gzip");
  assert.equal(gzip.coding, "gzip");
  assert.equal(new TextDecoder().decode(gunzipSync(gzip.body as Uint8Array)), PAGE);
});

Deno.test("a small page, or a client that takes no coding, gets the page as it is", () => {
  assert.deepEqual(encodePage("<p>hi</p>", "br"), { body: "<p>hi</p>", coding: "identity" });
  assert.deepEqual(encodePage(PAGE, null), { body: PAGE, coding: "identity" });
  assert.deepEqual(encodePage(PAGE, "br;q=0, gzip;q=0"), { body: PAGE, coding: "identity" });
});
