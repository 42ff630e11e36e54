/**
 * The Double Ratchet message header and its fixed 56-byte encoding:
 * `dh (32) ‖ pn (u32 big-endian) ‖ n (u32 big-endian) ‖ salt (16)`.
 *
 * The salt is fresh randomness for each message, from which the message's
 * AES key and nonce are derived together with the message key (see
 * `ratchetEncrypt()`), so a ratchet state restored from a backup never seals
 * twice under one key and nonce.
 *
 * @module
 */

/** A Double Ratchet message header. */
export interface RatchetHeader {
  /** The sender's current 32-byte ratchet public key. */
  dh: Uint8Array;
  /** How many messages the sender sent in its previous chain. */
  pn: number;
  /** The message number in the current chain. */
  n: number;
  /** The message's random salt, {@linkcode SALT_BYTES} bytes. */
  salt: Uint8Array;
}

/** The size of a message's random salt in bytes (128 bits). */
export const SALT_BYTES = 16;

/** The size of an encoded header in bytes. */
export const HEADER_BYTES = 40 + SALT_BYTES;

/** The largest `n` or `pn`, since both travel as unsigned 32-bit numbers. */
export const MAX_MESSAGE_NUMBER = 0xffffffff;

/** Encodes a header in its fixed 56 bytes; throws `TypeError` if invalid. */
export function encodeHeader(header: RatchetHeader): Uint8Array<ArrayBuffer> {
  checkHeader(header);
  const bytes = new Uint8Array(HEADER_BYTES);
  bytes.set(header.dh);
  const view = new DataView(bytes.buffer);
  view.setUint32(32, header.pn);
  view.setUint32(36, header.n);
  bytes.set(header.salt, 40);
  return bytes;
}

/** Decodes exactly 56 bytes into a header; throws `TypeError` otherwise. */
export function decodeHeader(bytes: Uint8Array): RatchetHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError("Invalid ratchet header: expected a Uint8Array");
  }
  if (bytes.length !== HEADER_BYTES) {
    throw new TypeError(
      `Invalid ratchet header: expected ${HEADER_BYTES} bytes, got ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    dh: bytes.slice(0, 32),
    pn: view.getUint32(32),
    n: view.getUint32(36),
    salt: bytes.slice(40, HEADER_BYTES),
  };
}

/** Throws `TypeError` unless the value is a well-formed header. */
export function checkHeader(header: RatchetHeader): void {
  if (typeof header !== "object" || header === null) {
    throw new TypeError("Invalid ratchet header: expected an object");
  }
  if (!(header.dh instanceof Uint8Array) || header.dh.length !== 32) {
    throw new TypeError('Invalid ratchet header: "dh" must be 32 bytes');
  }
  for (const key of ["pn", "n"] as const) {
    const value = header[key];
    if (!Number.isInteger(value) || value < 0 || value > MAX_MESSAGE_NUMBER) {
      throw new TypeError(
        `Invalid ratchet header: "${key}" must be an integer from 0 to ${MAX_MESSAGE_NUMBER}`,
      );
    }
  }
  if (!(header.salt instanceof Uint8Array) || header.salt.length !== SALT_BYTES) {
    throw new TypeError(`Invalid ratchet header: "salt" must be ${SALT_BYTES} bytes`);
  }
}
