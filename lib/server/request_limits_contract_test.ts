/** The same limits from memory (one process) and from Redis (shared by instances). */
import assert from "node:assert/strict";
import { HAS_REDIS, startRedis } from "../../tests/fixtures/redis.ts";
import type { HttpError } from "./http_error.ts";
import { connectRedis } from "./redis/client.ts";
import { RedisRateLimiter } from "./redis/rate_limit.ts";
import { RequestLimits } from "./request_limits.ts";

const CONFIG = {
  createPerMinute: 3,
  joinPerMinute: 5,
  connectPerMinute: 60,
  maxSocketsPerAddress: 4,
  trustProxy: false,
};

async function expectLimited(limits: RequestLimits, key: string): Promise<void> {
  for (let i = 0; i < 3; i++) await limits.check("create", key);
  await assert.rejects(async () => await limits.check("create", key), (e: HttpError) => {
    const retryAfter = Number(new Headers(e.headers).get("retry-after"));
    return e.status === 429 && e.code === "rate_limited" && retryAfter > 0 && retryAfter <= 20;
  });
  // Another address, and another action, are not affected.
  await limits.check("create", `${key}-other`);
  await limits.check("join", key);
}

Deno.test("RequestLimits in memory: the fourth create of one address in a minute gets 429", async () => {
  await expectLimited(new RequestLimits(CONFIG), "203.0.113.7");
});

Deno.test({
  name:
    "RequestLimits shared through Redis: the fourth create of one address gets 429, whichever instance counts it",
  ignore: !HAS_REDIS,
  async fn() {
    await using redis = await startRedis();
    const links = [
      await connectRedis(redis.url, () => {}),
      await connectRedis(redis.url, () => {}),
    ];
    try {
      const secret = "s".repeat(40);
      const [one, two] = links.map((link) =>
        new RequestLimits(CONFIG, { shared: new RedisRateLimiter(link.command, secret) })
      );
      await expectLimited(one, "203.0.113.7");
      await assert.rejects(async () => await two.check("create", "203.0.113.7"), {
        name: "HttpError",
      });
    } finally {
      await Promise.all(links.map((link) => link.close()));
    }
  },
});
