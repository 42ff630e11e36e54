import assert from "node:assert/strict";
import { TokenBucket, TokenBuckets } from "./token_bucket.ts";

Deno.test("TokenBucket allows its burst, then refills at its rate", () => {
  let now = 0;
  const bucket = new TokenBucket({ capacity: 3, perSecond: 2 }, { now: () => now });
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [
    true,
    true,
    true,
    false,
  ]);
  assert.equal(bucket.retryAfterSeconds, 1);
  now = 499;
  assert.equal(bucket.take(), false);
  now = 500;
  assert.equal(bucket.take(), true);
  now = 60_000;
  assert.equal(bucket.full, true);
});

Deno.test("TokenBuckets keeps one bucket per key", () => {
  const buckets = new TokenBuckets({ capacity: 1, perSecond: 1 / 60 }, { now: () => 0 });
  assert.equal(buckets.take("a"), true);
  assert.equal(buckets.take("a"), false);
  assert.equal(buckets.take("b"), true);
  assert.equal(buckets.retryAfterSeconds("a"), 60);
});

Deno.test("TokenBuckets never holds more than maxKeys, forgetting full buckets first", () => {
  let now = 0;
  const buckets = new TokenBuckets({ capacity: 2, perSecond: 1 }, {
    now: () => now,
    maxKeys: 3,
  });
  for (const key of ["a", "b", "c"]) buckets.take(key);
  buckets.take("a");
  assert.equal(buckets.size, 3);
  // "a" is empty; after 1.5 s "b" and "c" are full again and can go.
  now = 1500;
  buckets.take("d");
  assert.equal(buckets.size, 2);
  assert.equal(buckets.take("a"), true);
  assert.equal(buckets.take("a"), false, "the empty bucket was kept");
  for (let i = 0; i < 100; i++) buckets.take(`k${i}`);
  assert.ok(buckets.size <= 3);
});

Deno.test("TokenBuckets.prune() forgets only full buckets", () => {
  let now = 0;
  const buckets = new TokenBuckets({ capacity: 1, perSecond: 1 }, { now: () => now });
  buckets.take("a");
  now = 2000;
  buckets.take("b");
  buckets.prune();
  assert.equal(buckets.size, 1);
  assert.equal(buckets.take("b"), false);
});
