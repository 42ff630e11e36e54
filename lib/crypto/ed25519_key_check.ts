/**
 * Refuses small-order Ed25519 public keys. A key of order dividing 8 (the
 * eight points of the curve's torsion subgroup) has no secret behind it:
 * with such a key, `R = [s]B` verifies as a signature over any message, so it
 * would let anyone pass the access signature, sign prekeys or answer the
 * socket challenge. WebCrypto's Ed25519 accepts these keys, so we check.
 *
 * The list is libsodium's blocklist (`ge25519_has_small_order`): the
 * y-coordinate of each small-order point with the sign bit of x masked off,
 * so both signs and the non-canonical spellings (y = p, y = p + 1, and a
 * "negative zero" x) are refused too. `ed25519_key_check_test.ts` derives the
 * eight points from the curve equation to confirm the list.
 *
 * @module
 */

/** Little-endian y-coordinates (sign bit cleared) of the small-order points. */
const SMALL_ORDER_Y_HEX = [
  // y = 0: the two points of order 4, (±√−1, 0).
  "0000000000000000000000000000000000000000000000000000000000000000",
  // y = 1: the identity, order 1.
  "0100000000000000000000000000000000000000000000000000000000000000",
  // The four points of order 8 share two y values, each with both signs of x.
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  // y = p − 1: the point of order 2, (0, −1).
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  // y = p and y = p + 1: non-canonical spellings of y = 0 and y = 1.
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
];

const SMALL_ORDER_Y: readonly Uint8Array[] = SMALL_ORDER_Y_HEX.map((hex) =>
  Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16))
);

/** Raised for a small-order key, so callers can answer with their own code. */
export class SmallOrderKeyError extends TypeError {
  constructor(name: string) {
    super(`Invalid ${name}: a small-order Ed25519 public key is not allowed`);
    this.name = "SmallOrderKeyError";
  }
}

/**
 * Tells whether a 32-byte Ed25519 public key encodes a point of small order,
 * in any spelling. Any other length is not a key and reports false; length is
 * checked where keys are decoded.
 *
 * @example
 * ```ts
 * isSmallOrderEd25519Key(new Uint8Array(32)); // true: y = 0, order 4
 * ```
 */
export function isSmallOrderEd25519Key(key: Uint8Array): boolean {
  if (key.length !== 32) return false;
  return SMALL_ORDER_Y.some((y) => {
    for (let i = 0; i < 31; i++) {
      if (key[i] !== y[i]) return false;
    }
    return (key[31] & 0x7f) === y[31];
  });
}

/** Throws {@linkcode SmallOrderKeyError} naming `name` if `key` has small order. */
export function assertNotSmallOrder(key: Uint8Array, name: string): void {
  if (isSmallOrderEd25519Key(key)) throw new SmallOrderKeyError(name);
}
