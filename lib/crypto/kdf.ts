/**
 * HKDF-SHA-256 (RFC 5869) through WebCrypto.
 *
 * @module
 */

/** Derives `length` bytes with HKDF-SHA-256 from input key material. */
export async function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!Number.isInteger(length) || length < 1 || length > 255 * 32) {
    throw new RangeError(
      `Cannot derive ${length} bytes with HKDF-SHA-256: expected 1 to 8160`,
    );
  }
  const key = await crypto.subtle.importKey(
    "raw",
    ikm.slice(),
    "HKDF",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: salt.slice(), info: info.slice() },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}
