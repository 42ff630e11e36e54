/**
 * Message padding, so ciphertext lengths reveal little about the text: a
 * 0x80 marker then zeros up to the PADMÉ length, never below 256 bytes.
 *
 * @module
 */

/** The smallest padded plaintext in bytes. */
export const MIN_PADDED_BYTES = 256;

const MARKER = 0x80;

/**
 * The PADMÉ length for `n` bytes (Nikitin et al., "Reducing metadata leakage
 * from encrypted files and communication with PURBs"): at most 12% overhead,
 * and only O(log log n) bits of the length stay visible.
 */
export function padmeLength(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new RangeError(
      `Cannot compute padded length of ${n}: expected an integer from 0 to 4294967295`,
    );
  }
  if (n < 2) return n;
  const exponent = 31 - Math.clz32(n);
  const bitsOfExponent = 32 - Math.clz32(exponent);
  const lastBits = exponent - bitsOfExponent;
  // Arithmetic rather than `&`, which would overflow signed 32-bit above 2^31.
  const unit = 2 ** lastBits;
  return Math.ceil(n / unit) * unit;
}

/** Appends the 0x80 marker and zeros up to the padded length. */
export function pad(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = Math.max(MIN_PADDED_BYTES, padmeLength(bytes.length + 1));
  const result = new Uint8Array(length);
  result.set(bytes);
  result[bytes.length] = MARKER;
  return result;
}

/** Removes padding added by {@linkcode pad}; throws if it is malformed. */
export function unpad(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  let end = bytes.length - 1;
  while (end >= 0 && bytes[end] === 0) end--;
  if (end < 0) {
    throw new TypeError("Cannot remove padding: no 0x80 marker");
  }
  if (bytes[end] !== MARKER) {
    throw new TypeError(
      `Cannot remove padding: expected 0x80 marker, got 0x${
        bytes[end].toString(16).padStart(2, "0")
      }`,
    );
  }
  return bytes.slice(0, end);
}
