/**
 * Whether a string holds only the base64url alphabet (`A-Z a-z 0-9 - _`),
 * checked fast enough for a relay that sees every message body: short
 * strings by a regular expression; long ones by the runtime's own base64
 * decoder (`Uint8Array.prototype.setFromBase64`, vectorized in V8) into a
 * scratch buffer, whose verdict and byte count tell exactly whether every
 * character is in the alphabet, the largest body the relay takes in one
 * call; where that is missing, by encoding them as UTF-8 into the scratch
 * buffer and looking each byte up in the table. Either costs a fraction of
 * a regular expression's character-by-character match.
 *
 * @module
 */

const ALPHABET_REGEXP = /^[A-Za-z0-9_-]*$/;

/** Below this length the regular expression is as fast as anything. */
const SHORT = 256;

/**
 * Characters decoded per step: 64 Ki, so the largest body the relay takes
 * is decoded in one call; the scratch buffer holds exactly what one step
 * decodes to (48 KiB), and is also what the fallback encodes per step.
 */
const DECODE_STEP = 64 * 1024;
const SCRATCH_BYTES = (DECODE_STEP / 4) * 3;
const ENCODE_STEP = SCRATCH_BYTES;

/** The decoder's options, made once: the check allocates no object but its result. */
const BASE64URL = { alphabet: "base64url" } as const;

/** 1 for the bytes of the base64url alphabet, 0 for every other byte. */
const IN_ALPHABET: Uint8Array = (() => {
  const table = new Uint8Array(256);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = 1;
  return table;
})();

const encoder = new TextEncoder();
let scratch: Uint8Array | undefined;

/** `Uint8Array.prototype.setFromBase64` (ES2026), where the runtime has it. */
type SetFromBase64 = (
  this: Uint8Array,
  text: string,
  options: typeof BASE64URL,
) => { read: number; written: number };
const nativeSetFromBase64 = (Uint8Array.prototype as unknown as { setFromBase64?: SetFromBase64 })
  .setFromBase64;

/**
 * Reports whether every character of `text` is in the base64url alphabet
 * (no padding). The empty string is.
 *
 * @example
 * ```ts
 * isBase64UrlAlphabet("AQ_-"); // true
 * isBase64UrlAlphabet("AQ=="); // false
 * ```
 */
export function isBase64UrlAlphabet(text: string): boolean {
  return isBase64UrlAlphabetIn(text, 0, text.length);
}

/**
 * Reports whether every character of `text` from `start` to `end` (not
 * included) is in the base64url alphabet, as
 * `isBase64UrlAlphabet(text.slice(start, end))` does, without the slice
 * where the range fits one step of the decoder.
 *
 * @example
 * ```ts
 * isBase64UrlAlphabetIn('{"body":"AQ_-"}', 9, 13); // true
 * ```
 */
export function isBase64UrlAlphabetIn(text: string, start: number, end: number): boolean {
  if (end - start < SHORT) return ALPHABET_REGEXP.test(text.slice(start, end));
  scratch ??= new Uint8Array(SCRATCH_BYTES);
  if (nativeSetFromBase64 !== undefined) {
    return decodesWhole(text, start, end, scratch, nativeSetFromBase64);
  }
  for (let from = start; from < end; from += ENCODE_STEP) {
    const part = text.slice(from, Math.min(end, from + ENCODE_STEP));
    // Every alphabet character is one byte of UTF-8; anything else is more,
    // so a part with any other character either does not fit or is longer.
    const { read, written } = encoder.encodeInto(part, scratch);
    if (read !== part.length || written !== part.length) return false;
    let outside = 0;
    for (let i = 0; i < written; i++) outside |= IN_ALPHABET[scratch[i]] ^ 1;
    if (outside !== 0) return false;
  }
  return true;
}

/**
 * The alphabet check by decoding: every whole group of 4 characters from
 * `start` through the runtime's base64url decoder, the last 0 to 3 by the
 * regular expression. The decoder throws on a character outside the base64url alphabet
 * but skips ASCII whitespace and accepts `=` padding; each of those decodes
 * to fewer bytes than 4 alphabet characters do (n characters of the
 * alphabet decode to fewer than 3k bytes when n < 4k), so a group is all
 * alphabet exactly when it decodes without error to 3 bytes per 4
 * characters.
 */
function decodesWhole(
  text: string,
  start: number,
  end: number,
  buffer: Uint8Array,
  decode: SetFromBase64,
): boolean {
  const whole = start + ((end - start) & ~3);
  // A step of characters decodes to 3/4 of its length in bytes: it fits.
  for (let from = start; from < whole; from += DECODE_STEP) {
    const to = Math.min(whole, from + DECODE_STEP);
    try {
      const { read, written } = decode.call(buffer, text.slice(from, to), BASE64URL);
      if (read !== to - from || written !== ((to - from) >> 2) * 3) return false;
    } catch {
      return false;
    }
  }
  return whole === end || ALPHABET_REGEXP.test(text.slice(whole, end));
}
