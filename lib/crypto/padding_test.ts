import assert from "node:assert/strict";
import { MIN_PADDED_BYTES, pad, padmeLength, unpad } from "./padding.ts";

Deno.test("padmeLength() matches the PADMÉ definition", () => {
  const expected: [number, number][] = [
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [9, 10],
    [100, 104],
    [257, 272],
    [301, 304],
    [1000, 1024],
    [1025, 1088],
    [65536, 65536],
    [65537, 67584],
  ];
  for (const [n, length] of expected) {
    assert.equal(padmeLength(n), length, `${n}`);
  }
});

Deno.test("padmeLength() adds at most 12% and never shrinks", () => {
  for (let n = 1; n < 70_000; n += 7) {
    const length = padmeLength(n);
    assert.ok(length >= n);
    assert.ok(length <= n * 1.12 + 1, `${n} -> ${length}`);
  }
  assert.equal(padmeLength(2 ** 31 + 1), 2 ** 31 + 2 ** 26);
});

Deno.test("padmeLength() rejects lengths that are not byte counts", () => {
  for (const n of [-1, 1.5, NaN, 2 ** 32]) {
    assert.throws(() => padmeLength(n), RangeError);
  }
});

Deno.test("pad() pads to at least 256 bytes, then to the PADMÉ length", () => {
  assert.equal(pad(new Uint8Array()).length, MIN_PADDED_BYTES);
  assert.equal(pad(new Uint8Array(255)).length, 256);
  assert.equal(pad(new Uint8Array(256)).length, 272);
  assert.equal(pad(new Uint8Array(300)).length, 304);
  const padded = pad(Uint8Array.of(1, 2, 3));
  assert.deepEqual(padded.subarray(0, 4), Uint8Array.of(1, 2, 3, 0x80));
  assert.ok(padded.subarray(4).every((byte) => byte === 0));
});

Deno.test("unpad() reverses pad() for any content", () => {
  for (const length of [0, 1, 255, 256, 300, 4096]) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    assert.deepEqual(unpad(pad(bytes)), bytes);
  }
  // Content ending in zeros or 0x80 is kept, since the marker is found from the end.
  const tricky = Uint8Array.of(0x80, 0, 0x80, 0);
  assert.deepEqual(unpad(pad(tricky)), tricky);
});

Deno.test("unpad() rejects padding without the marker", () => {
  assert.throws(() => unpad(new Uint8Array()), {
    name: "TypeError",
    message: "Cannot remove padding: no 0x80 marker",
  });
  assert.throws(() => unpad(new Uint8Array(256)), TypeError);
  const garbage = pad(Uint8Array.of(1, 2, 3));
  garbage[200] = 0x01;
  assert.throws(() => unpad(garbage), {
    name: "TypeError",
    message: "Cannot remove padding: expected 0x80 marker, got 0x01",
  });
});
