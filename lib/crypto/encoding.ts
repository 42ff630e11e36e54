/**
 * Byte helpers shared by the protocol: strict base64url, concatenation, UTF-8
 * and comparison.
 *
 * @module
 */

const BASE64URL_REGEXP = /^[A-Za-z0-9_-]*$/;
// String.fromCharCode takes its arguments on the stack; stay well below limits.
const CHUNK_BYTES = 0x8000;

/** Options for {@linkcode decodeBase64Url}. */
export interface DecodeBase64UrlOptions {
  /** The exact number of bytes the text must decode to. */
  length?: number;
  /** What the text holds, named in error messages. Defaults to "base64url". */
  name?: string;
}

/** Encodes bytes as base64url without padding (RFC 4648 §5). */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    binary += String.fromCharCode(
      ...bytes.subarray(start, start + CHUNK_BYTES),
    );
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
}

/**
 * Decodes unpadded base64url strictly: only the URL-safe alphabet, no padding,
 * the one canonical spelling of the bytes, and the exact length if given.
 *
 * Strictness matters because bundles are compared as strings: two spellings of
 * one key must not exist.
 *
 * @example
 * ```ts
 * const signature = decodeBase64Url(text, { length: 64, name: "signature" });
 * ```
 */
export function decodeBase64Url(
  text: string,
  options: DecodeBase64UrlOptions = {},
): Uint8Array<ArrayBuffer> {
  const name = options.name ?? "base64url";
  if (typeof text !== "string") {
    throw new TypeError(`Cannot decode ${name}: expected a string`);
  }
  if (!BASE64URL_REGEXP.test(text)) {
    throw new TypeError(
      `Cannot decode ${name}: only unpadded base64url characters are allowed`,
    );
  }
  if (text.length % 4 === 1) {
    throw new TypeError(`Cannot decode ${name}: invalid length ${text.length}`);
  }
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // The last character may carry unused bits; only all-zero ones are canonical.
  if (encodeBase64Url(bytes) !== text) {
    throw new TypeError(`Cannot decode ${name}: not canonical base64url`);
  }
  if (options.length !== undefined && bytes.length !== options.length) {
    throw new TypeError(
      `Cannot decode ${name}: expected ${options.length} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

const encoder = new TextEncoder();

/** Encodes text as UTF-8 bytes. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/**
 * Compares two byte arrays in time that depends only on their lengths, so a
 * comparison with a secret does not leak how many leading bytes matched.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}
