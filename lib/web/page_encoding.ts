/**
 * Compresses a rendered page on the way out, brotli or gzip by the request's
 * `Accept-Encoding`, at a quick setting (pages are made per request, unlike
 * the static files compressed once at build).
 *
 * Compressing pages is safe from BREACH-style guessing because no page holds
 * a secret: invite secrets live in the URL fragment, which never reaches the
 * server, and pages carry no tokens or cookies' values.
 *
 * @module
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { COMPRESSIONS, type ContentCoding, negotiateEncoding } from "./encoding.ts";

/** Below this many bytes a page goes as it is. */
const MIN_BYTES = 1024;

/** A page's body in the coding chosen for the request, and that coding. */
export function encodePage(
  html: string,
  acceptEncoding: string | null,
): { body: Uint8Array<ArrayBuffer> | string; coding: ContentCoding } {
  const coding = html.length < MIN_BYTES
    ? "identity"
    : negotiateEncoding(acceptEncoding, COMPRESSIONS);
  if (coding === "identity") return { body: html, coding };
  const bytes = new TextEncoder().encode(html);
  const compressed = coding === "br"
    ? brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    })
    : gzipSync(bytes, { level: 6 });
  return { body: Uint8Array.from(compressed), coding };
}
