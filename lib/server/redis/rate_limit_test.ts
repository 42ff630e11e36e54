import assert from "node:assert/strict";
import { HAS_REDIS, startRedis } from "../../../tests/fixtures/redis.ts";
import { connectRedis } from "./client.ts";
import { RedisRateLimiter } from "./rate_limit.ts";

const SECRET = "s".repeat(40);

Deno.test({
  name: "RedisRateLimiter shares one bucket per address between instances and stores only an HMAC",
  ignore: !HAS_REDIS,
  async fn() {
    await using redis = await startRedis();
    const links = [
      await connectRedis(redis.url, () => {}),
      await connectRedis(redis.url, () => {}),
    ];
    try {
      const [one, two] = links.map((link) => new RedisRateLimiter(link.command, SECRET));
      // A bucket of 3 refilled at 3 per minute, spent alternately on both instances.
      assert.equal(await one.take("create", "203.0.113.7", 3, 3 / 60), 0);
      assert.equal(await two.take("create", "203.0.113.7", 3, 3 / 60), 0);
      assert.equal(await one.take("create", "203.0.113.7", 3, 3 / 60), 0);
      const wait = await two.take("create", "203.0.113.7", 3, 3 / 60);
      assert.ok(wait > 0 && wait <= 20, `retry after ${wait} s`);
      // Another address and another action have their own buckets.
      assert.equal(await two.take("create", "203.0.113.8", 3, 3 / 60), 0);
      assert.equal(await two.take("join", "203.0.113.7", 3, 3 / 60), 0);
      const rows = await redis.dump();
      assert.equal(rows.length, 3);
      for (const row of rows) {
        assert.match(row.key, /^anon:limit:(create|join):[A-Za-z0-9_-]{22}$/);
        assert.ok(!JSON.stringify(row).includes("203.0.113"), "no address in Redis");
        assert.ok(row.ttl > 0 && row.ttl <= 61_000, `short-lived: ${row.ttl} ms`);
      }
      // Another secret makes other keys: the bucket is not found from the address alone.
      const other = new RedisRateLimiter(links[0].command, "t".repeat(40));
      assert.equal(await other.take("create", "203.0.113.7", 3, 3 / 60), 0);
    } finally {
      await Promise.all(links.map((link) => link.close()));
    }
  },
});
