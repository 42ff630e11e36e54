/**
 * The Double Ratchet's chain step, `HMAC-SHA-256(ck, 0x01)` and
 * `HMAC-SHA-256(ck, 0x02)` under a 32-byte chain key, computed in plain
 * JavaScript (SHA-256 from FIPS 180-4, HMAC from RFC 2104).
 *
 * Why not WebCrypto: a step there is three asynchronous calls (import the
 * key, sign twice), about 47 us in Chromium on the 2-core build machine. A
 * forged header may ask the receiver to derive up to `MAX_SKIP` (25,000)
 * keys before its AEAD check fails, so a relay could make a browser spend
 * over a second per forged frame. Here a step is about 4 us with its message
 * key and 2.5 us without, and the steps whose keys would be dropped at once
 * need no message key (`ratchet_skipped_keys.ts`).
 *
 * Both MACs share the key's padded blocks, each compressed once; each MAC of
 * one byte then takes two more compressions. The code only adds, rotates and
 * masks 32-bit words, never branching on or indexing by key material, so it
 * takes the same time for every key. Checked against libsignal's chain-key
 * vector, answers from OpenSSL, and WebCrypto on random keys
 * (`chain_hmac_test.ts`).
 *
 * @module
 */

/** SHA-256's round constants (FIPS 180-4 §4.2.2). */
const K = Int32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
);

/** SHA-256's initial hash value (FIPS 180-4 §5.3.3). */
const IV = Int32Array.of(
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
);

/** The message schedule; its first 16 words are the block to compress. */
const w = new Int32Array(64);
/** The hash state after the key's inner and outer padded blocks. */
const inner = new Int32Array(8);
const outer = new Int32Array(8);
const innerHash = new Int32Array(8);
const result = new Int32Array(8);

/** One SHA-256 compression of the block in `w[0..15]` onto `from`, into `into`. */
function compress(from: Int32Array, into: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15], y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = from[0], b = from[1], c = from[2], d = from[3];
  let e = from[4], f = from[5], g = from[6], h = from[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g, g = f, f = e, e = (d + t1) | 0, d = c, c = b, b = a, a = (t1 + t2) | 0;
  }
  into[0] = (from[0] + a) | 0, into[1] = (from[1] + b) | 0;
  into[2] = (from[2] + c) | 0, into[3] = (from[3] + d) | 0;
  into[4] = (from[4] + e) | 0, into[5] = (from[5] + f) | 0;
  into[6] = (from[6] + g) | 0, into[7] = (from[7] + h) | 0;
}

/** Compresses the 64-byte block `key ‖ zeros`, each byte XORed with `pad`, from the IV. */
function padded(key: Uint8Array, pad: number, into: Int32Array): void {
  for (let i = 0; i < 8; i++) {
    w[i] = ((key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3]) ^
      pad;
  }
  w.fill(pad, 8, 16);
  compress(IV, into);
}

/** HMAC of the one byte `byte` under the key whose padded blocks are in `inner`/`outer`. */
function mac(byte: number): Uint8Array<ArrayBuffer> {
  // The inner message: 64 key bytes, then `byte`, 0x80, zeros, and the length, 65 bytes in bits.
  w[0] = (byte << 24) | 0x800000;
  w.fill(0, 1, 15);
  w[15] = 65 * 8;
  compress(inner, innerHash);
  // The outer message: 64 key bytes, then the inner hash, 0x80, zeros, and 96 bytes in bits.
  w.set(innerHash, 0);
  w[8] = 0x80000000 | 0;
  w.fill(0, 9, 15);
  w[15] = 96 * 8;
  compress(outer, result);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const word = result[i];
    out[4 * i] = word >>> 24, out[4 * i + 1] = word >>> 16;
    out[4 * i + 2] = word >>> 8, out[4 * i + 3] = word;
  }
  return out;
}

function setKey(ck: Uint8Array): void {
  if (ck.length !== 32) throw new RangeError("A chain key must be 32 bytes");
  padded(ck, 0x36363636, inner);
  padded(ck, 0x5c5c5c5c, outer);
}

/** KDF_CK: the message key `HMAC-SHA-256(ck, 0x01)` and next chain key `HMAC-SHA-256(ck, 0x02)`. */
export function chainKeys(
  ck: Uint8Array,
): { ck: Uint8Array<ArrayBuffer>; mk: Uint8Array<ArrayBuffer> } {
  setKey(ck);
  const mk = mac(0x01);
  return { ck: mac(0x02), mk };
}

/** The next chain key alone, `HMAC-SHA-256(ck, 0x02)`, for a step whose message key is not kept. */
export function nextChainKey(ck: Uint8Array): Uint8Array<ArrayBuffer> {
  setKey(ck);
  return mac(0x02);
}
