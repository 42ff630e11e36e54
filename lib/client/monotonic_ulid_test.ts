import assert from "node:assert/strict";
import { decodeTime } from "ulid";
import { ULID_REGEXP } from "../crypto/ulid.ts";
import { monotonicUlid } from "./monotonic_ulid.ts";

Deno.test("monotonicUlid() encodes the time as the ulid package reads it", () => {
  for (const time of [0, 1, 1_469_918_176_385, 2 ** 48 - 1]) {
    const id = monotonicUlid(() => time)();
    assert.match(id, ULID_REGEXP);
    assert.equal(decodeTime(id), time);
  }
  assert.equal(monotonicUlid(() => 1_469_918_176_385)().slice(0, 10), "01ARYZ6S41");
});

Deno.test("monotonicUlid() sorts within one millisecond and when the clock goes back", () => {
  const times = [5, 5, 5, 4, 6, 6];
  const make = monotonicUlid(() => times.shift()!);
  const ids = Array.from({ length: 6 }, make);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  // The clock went back to 4: the ULID keeps the last time, 5.
  assert.equal(decodeTime(ids[3]), 5);
  assert.equal(decodeTime(ids[4]), 6);
});

Deno.test("monotonicUlid() carries into the next random digit", () => {
  const random = crypto.getRandomValues;
  crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
    (array as unknown as Uint8Array).fill(31);
    (array as unknown as Uint8Array)[0] = 0;
    return array;
  }) as typeof crypto.getRandomValues;
  try {
    const make = monotonicUlid(() => 7);
    assert.equal(make().slice(10), "0ZZZZZZZZZZZZZZZ");
    assert.equal(make().slice(10), "1000000000000000");
  } finally {
    crypto.getRandomValues = random;
  }
});

Deno.test("monotonicUlid() refuses to overflow the random part", () => {
  const random = crypto.getRandomValues;
  crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
    (array as unknown as Uint8Array).fill(255);
    return array;
  }) as typeof crypto.getRandomValues;
  try {
    const make = monotonicUlid(() => 7);
    assert.equal(make().slice(10), "Z".repeat(16));
    assert.throws(() => make(), /random part would overflow/);
  } finally {
    crypto.getRandomValues = random;
  }
});
