/**
 * Byte helpers shared by the protocol: strict base64url, concatenation, UTF-8
 * and comparison.
 *
 * @module
 */
// The relay checks long bodies with `base64url_alphabet.ts`; a regular expression is enough here.
const BASE64URL = /^[A-Za-z0-9_-]*$/;

// String.fromCharCode takes its arguments on the stack; stay well below limits.
const CHUNK_BYTES = 0x8000;

/** Options for {@linkcode decodeBase64Url}. */
export interface DecodeBase64UrlOptions {
  /** The exact number of bytes the text must decode to. */
  length?: number;
  /** What the text holds, named in error messages. Defaults to "base64url". */
  name?: string;
}

/** The built-in base64 of `Uint8Array` (ES2026), where the engine has it. */
interface NativeBase64 {
  toBase64?(options: { alphabet: "base64url"; omitPadding: boolean }): string;
}
const nativeFromBase64 = (Uint8Array as unknown as {
  fromBase64?(text: string, options: { alphabet: "base64url" }): Uint8Array<ArrayBuffer>;
}).fromBase64;

/** Encodes bytes as base64url without padding (RFC 4648 §5). */
export function encodeBase64Url(bytes: Uint8Array): string {
  // The built-in is many times faster on file chunks; the loop is the fallback.
  const native = (bytes as NativeBase64).toBase64;
  if (native !== undefined) return native.call(bytes, { alphabet: "base64url", omitPadding: true });
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
 * Checks that `text` is unpadded base64url in its one canonical spelling, of
 * exactly `options.length` bytes if given, without decoding it: the alphabet
 * and the length are checked, and the last character's unused bits must be
 * zero. Returns the number of bytes the text decodes to; throws a
 * `TypeError` saying what is wrong, as {@linkcode decodeBase64Url} does.
 *
 * @example
 * ```ts
 * checkBase64Url("AQ"); // 1
 * checkBase64Url("AR"); // throws: not canonical base64url
 * ```
 */
export function checkBase64Url(text: string, options: DecodeBase64UrlOptions = {}): number {
  const name = options.name ?? "base64url";
  if (typeof text !== "string") {
    throw new TypeError(`Cannot decode ${name}: expected a string`);
  }
  if (!BASE64URL.test(text)) {
    throw new TypeError(
      `Cannot decode ${name}: only unpadded base64url characters are allowed`,
    );
  }
  const tail = text.length % 4;
  if (tail === 1) {
    throw new TypeError(`Cannot decode ${name}: invalid length ${text.length}`);
  }
  // 2 trailing characters carry 12 bits for 1 byte, 3 carry 18 for 2: the
  // last character's low 4 or 2 bits are unused and must be zero.
  if (tail !== 0) {
    const unused = tail === 2 ? 0b1111 : 0b11;
    if ((sextet(text.charCodeAt(text.length - 1)) & unused) !== 0) {
      throw new TypeError(`Cannot decode ${name}: not canonical base64url`);
    }
  }
  const bytes = (text.length >> 2) * 3 + (tail === 0 ? 0 : tail - 1);
  if (options.length !== undefined && bytes !== options.length) {
    throw new TypeError(
      `Cannot decode ${name}: expected ${options.length} bytes, got ${bytes}`,
    );
  }
  return bytes;
}

/** The 6-bit value of a base64url character already known to be one. */
function sextet(code: number): number {
  if (code >= 97) return code - 71; // a-z: 26-51
  if (code >= 65) return code - 65; // A-Z: 0-25
  if (code >= 48) return code + 4; // 0-9: 52-61
  return code === 45 ? 62 : 63; // "-" and "_"
}

/**
 * Decodes unpadded base64url strictly: only the URL-safe alphabet, no padding,
 * the one canonical spelling of the bytes, and the exact length if given
 * (see {@linkcode checkBase64Url}).
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
  const length = checkBase64Url(text, options);
  // Checked canonical above, so the built-in decodes exactly those bytes.
  if (nativeFromBase64 !== undefined) {
    return nativeFromBase64.call(Uint8Array, text, { alphabet: "base64url" });
  }
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = binary.charCodeAt(i);
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
