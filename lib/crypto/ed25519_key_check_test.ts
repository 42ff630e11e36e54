import assert from "node:assert/strict";
import {
  assertNotSmallOrder,
  isSmallOrderEd25519Key,
  SmallOrderKeyError,
} from "./ed25519_key_check.ts";
import { generateIdentity } from "./identity.ts";

/** The eight points of order dividing 8, canonically encoded (libsodium's list, both signs). */
const SMALL_ORDER_POINTS = [
  "0100000000000000000000000000000000000000000000000000000000000000", // order 1
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
  "0000000000000000000000000000000000000000000000000000000000000000", // order 4
  "0000000000000000000000000000000000000000000000000000000000000080", // order 4
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
];

/** Non-canonical spellings of small-order points that libsodium's list also refuses. */
const NON_CANONICAL = [
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p ≡ 0
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // y = p, x negative
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1 ≡ 1
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // y = p + 1, "−0"
  "0100000000000000000000000000000000000000000000000000000000000080", // y = 1, "−0"
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // y = p − 1, "−0"
];

/** The Ed25519 base point, RFC 8032. */
const BASE_POINT = "5866666666666666666666666666666666666666666666666666666666666666";

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g)!, (pair) => parseInt(pair, 16));
}

// Independent arithmetic on edwards25519 (RFC 8032, section 5.1), so the
// list above is derived here rather than only copied.
const P = 2n ** 255n - 19n;
const mod = (a: bigint) => ((a % P) + P) % P;
function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  base = mod(base);
  while (exp > 0n) {
    if (exp & 1n) result = mod(result * base);
    base = mod(base * base);
    exp >>= 1n;
  }
  return result;
}
const inv = (a: bigint) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

type Point = [bigint, bigint];

/** Decodes a canonical encoding (RFC 8032, 5.1.3), or null when it is none. */
function decode(bytes: Uint8Array): Point | null {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? bytes[i] & 0x7f : bytes[i]);
  const sign = bytes[31] >> 7;
  if (y >= P) return null;
  const x2 = mod((y * y - 1n) * inv(D * y * y + 1n));
  let x = pow(x2, (P + 3n) / 8n);
  if (mod(x * x) !== x2) x = mod(x * SQRT_M1);
  if (mod(x * x) !== x2) return null;
  if (x === 0n && sign === 1) return null;
  if (Number(x & 1n) !== sign) x = P - x;
  return [x, y];
}

function add([x1, y1]: Point, [x2, y2]: Point): Point {
  const t = mod(D * x1 * x2 * y1 * y2);
  return [mod((x1 * y2 + x2 * y1) * inv(1n + t)), mod((y1 * y2 + x1 * x2) * inv(1n - t))];
}

function orderUpTo8(point: Point): number | null {
  let q = point;
  for (let n = 1; n <= 8; n++) {
    if (q[0] === 0n && q[1] === 1n) return n;
    q = add(q, point);
  }
  return null;
}

Deno.test("the eight listed keys are exactly the points of order dividing 8", () => {
  const orders = SMALL_ORDER_POINTS.map((text) => {
    const point = decode(hex(text));
    assert.notEqual(point, null, `${text} is a canonical point`);
    return orderUpTo8(point!);
  });
  assert.deepEqual(orders, [1, 2, 4, 4, 8, 8, 8, 8]);
  // Eight distinct points of order dividing 8 are the whole torsion subgroup.
  assert.equal(new Set(SMALL_ORDER_POINTS).size, 8);
  // The arithmetic is not vacuous: the base point has a large order.
  assert.equal(orderUpTo8(decode(hex(BASE_POINT))!), null);
});

Deno.test("isSmallOrderEd25519Key() refuses every small-order key, canonical or not", () => {
  for (const text of [...SMALL_ORDER_POINTS, ...NON_CANONICAL]) {
    assert.equal(isSmallOrderEd25519Key(hex(text)), true, text);
    assert.throws(() => assertNotSmallOrder(hex(text), "key"), SmallOrderKeyError);
  }
  for (const text of NON_CANONICAL) {
    assert.equal(decode(hex(text)), null, `${text} is not canonical`);
  }
});

Deno.test("isSmallOrderEd25519Key() accepts real keys", async () => {
  assert.equal(isSmallOrderEd25519Key(hex(BASE_POINT)), false);
  for (let i = 0; i < 20; i++) {
    const { signPublic } = await generateIdentity();
    assert.equal(isSmallOrderEd25519Key(signPublic), false);
    assertNotSmallOrder(signPublic, "key");
  }
  // One bit away from a listed key is another key.
  const near = hex(SMALL_ORDER_POINTS[4]);
  near[0] ^= 1;
  assert.equal(isSmallOrderEd25519Key(near), false);
  assert.equal(isSmallOrderEd25519Key(new Uint8Array(31)), false, "not a key at all");
});

Deno.test("assertNotSmallOrder() names the key in a std-style message", () => {
  assert.throws(() => assertNotSmallOrder(new Uint8Array(32), 'bundle "sign"'), {
    name: "SmallOrderKeyError",
    message: 'Invalid bundle "sign": a small-order Ed25519 public key is not allowed',
  });
});
