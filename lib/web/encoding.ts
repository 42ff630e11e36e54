/**
 * Content codings for text assets: brotli and gzip bodies made with
 * `node:zlib`, and the choice between them by a request's `Accept-Encoding`.
 *
 * @module
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** A compressed content coding the server can send. */
export type Compression = "br" | "gzip";
/** A content coding of a response body; "identity" is no coding. */
export type ContentCoding = Compression | "identity";
/** Compressed bodies of one file; a coding is absent when it would not be smaller. */
export type Encodings = Partial<Record<Compression, Uint8Array<ArrayBuffer>>>;

/** The codings in the order the server prefers them when the client weighs them equally. */
export const COMPRESSIONS: readonly Compression[] = ["br", "gzip"];

/** The file name extension of each coding's bodies in the build. */
export const EXTENSIONS: Record<Compression, string> = { br: "br", gzip: "gz" };

const COMPRESSIBLE =
  /^(text\/[\w.+-]+|image\/svg\+xml|application\/(json|manifest\+json|javascript|xml))\s*(;|$)/i;
const QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

/** Tells whether a file of this `Content-Type` is text worth compressing. */
export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType.trim());
}

/**
 * Compresses `body` with brotli (quality 11) and gzip (level 9), keeping only
 * the codings that come out smaller than `body`.
 */
export function compress(body: Uint8Array): Encodings {
  const encodings: Encodings = {};
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
  if (br.byteLength < body.byteLength) encodings.br = Uint8Array.from(br);
  const gzip = gzipSync(body, { level: 9 });
  if (gzip.byteLength < body.byteLength) encodings.gzip = Uint8Array.from(gzip);
  return encodings;
}

/**
 * Chooses the coding of a response from the request's `Accept-Encoding`
 * (RFC 9110, section 12.5.3) among the `available` compressions: the one with
 * the highest q-value above 0, brotli before gzip on a tie, else "identity".
 * A coding not listed takes the weight of `*`, or 0 without it; `x-gzip`
 * counts as gzip; entries with a malformed q-value are ignored. Identity is
 * the answer even when the client refuses it, as the RFC allows, because
 * every client can read it.
 *
 * @example
 * ```ts
 * negotiateEncoding("gzip, br;q=0.5", ["br", "gzip"]); // "gzip"
 * ```
 */
export function negotiateEncoding(
  acceptEncoding: string | null,
  available: Iterable<Compression>,
): ContentCoding {
  if (acceptEncoding === null) return "identity";
  const weights = new Map<string, number>();
  for (const entry of acceptEncoding.split(",")) {
    const [name, ...params] = entry.split(";");
    let coding = name.trim().toLowerCase();
    if (coding === "") continue;
    if (coding === "x-gzip") coding = "gzip";
    let weight: number | null = 1;
    for (const param of params) {
      const [key, value = ""] = param.split("=").map((part) => part.trim());
      if (key.toLowerCase() === "q") weight = QVALUE.test(value) ? Number(value) : null;
    }
    if (weight !== null) weights.set(coding, Math.max(weight, weights.get(coding) ?? 0));
  }
  const offered = new Set(available);
  let best: ContentCoding = "identity";
  let bestWeight = 0;
  for (const coding of COMPRESSIONS) {
    if (!offered.has(coding)) continue;
    const weight = weights.get(coding) ?? weights.get("*") ?? 0;
    if (weight > bestWeight) [best, bestWeight] = [coding, weight];
  }
  return best;
}
