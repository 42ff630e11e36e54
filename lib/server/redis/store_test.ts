import assert from "node:assert/strict";
import type { Bundle } from "../../crypto/bundle.ts";
import { encodeBase64Url } from "../../crypto/encoding.ts";
import { parseConversationRecord } from "../../protocol/conversation_record.ts";
import { HAS_REDIS, startRedis, type TestRedis } from "../../../tests/fixtures/redis.ts";
import { HttpError } from "../http_error.ts";
import { connectRedis, type RedisConnection } from "./client.ts";
import { conversationKey, RedisConversationStore } from "./store.ts";

const KEY = "A".repeat(43);
const SIG = "A".repeat(86);

function bundle(): Bundle {
  const key = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { v: 2, sign: key, dh: key, access: SIG };
}

async function withStores(
  count: number,
  fn: (
    stores: RedisConversationStore[],
    redis: TestRedis,
    links: RedisConnection[],
  ) => Promise<void>,
) {
  await using redis = await startRedis();
  const links = await Promise.all(
    Array.from({ length: count }, () => connectRedis(redis.url, () => {})),
  );
  try {
    await fn(links.map((link) => new RedisConversationStore(link.command)), redis, links);
  } finally {
    await Promise.all(links.map((link) => link.close()));
  }
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: !HAS_REDIS, sanitizeResources: false, sanitizeOps: false, fn });

test("RedisConversationStore keeps exactly the contract record in one key that expires at expiresAt", async () => {
  await withStores(1, async ([store], redis) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(),
      lifetime: 3600,
    });
    const rows = await redis.dump();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].key, conversationKey(conversation.id));
    assert.deepEqual(parseConversationRecord(JSON.parse(rows[0].value)), conversation);
    // PXAT: the key's time to live ends at expiresAt.
    const left = Date.parse(conversation.expiresAt) - Date.now();
    assert.ok(Math.abs(rows[0].ttl - left) < 5000, `ttl ${rows[0].ttl} vs ${left}`);
    assert.deepEqual(await store.get(conversation.id), conversation);
    assert.equal(await store.exists(conversation.id), true);
  });
});

test("RedisConversationStore join admits one more participant, refuses a third and a repeated bundle", async () => {
  await withStores(1, async ([store]) => {
    const first = bundle();
    const { conversation } = await store.create({ accessKey: KEY, bundle: first, lifetime: 60 });
    await assert.rejects(
      () => store.join(conversation.id, first),
      (e: HttpError) => e.status === 409 && e.code === "duplicate_bundle",
    );
    const joined = await store.join(conversation.id, bundle());
    assert.equal(joined.conversation.participants.length, 2);
    assert.deepEqual(await store.get(conversation.id), joined.conversation);
    await assert.rejects(
      () => store.join(conversation.id, bundle()),
      (e: HttpError) => e.status === 409 && e.code === "conversation_full",
    );
    await assert.rejects(
      () => store.join("01JAAAAAAAAAAAAAAAAAAAAAAA", bundle()),
      (e: HttpError) => e.status === 404 && e.code === "not_found",
    );
  });
});

test("RedisConversationStore join race across two instances: exactly one of 20 concurrent joins wins", async () => {
  await withStores(2, async (stores) => {
    const { conversation } = await stores[0].create({
      accessKey: KEY,
      bundle: bundle(),
      lifetime: 60,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => stores[i % 2].join(conversation.id, bundle())),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    assert.equal(won.length, 1);
    for (const r of results) {
      if (r.status === "rejected") assert.equal((r.reason as HttpError).code, "conversation_full");
    }
    const stored = await stores[1].get(conversation.id);
    assert.equal(stored!.participants.length, 2);
    assert.deepEqual(
      stored,
      (won[0] as PromiseFulfilledResult<{ conversation: unknown }>).value
        .conversation,
    );
  });
});

test("RedisConversationStore delete removes the key and reports whether it existed", async () => {
  await withStores(1, async ([store], redis) => {
    const { conversation } = await store.create({ accessKey: KEY, bundle: bundle(), lifetime: 60 });
    assert.equal(await store.delete(conversation.id), true);
    assert.equal(await store.delete(conversation.id), false);
    assert.equal(await store.get(conversation.id), null);
    assert.equal(await store.exists(conversation.id), false);
    assert.deepEqual(await redis.dump(), []);
    assert.equal(await store.get("../etc/passwd"), null);
  });
});

test("RedisConversationStore answers 503 at once while Redis is unreachable, and works when it is back", async () => {
  await withStores(1, async ([store], redis, [link]) => {
    const { conversation } = await store.create({ accessKey: KEY, bundle: bundle(), lifetime: 60 });
    await redis.kill();
    for (
      const op of [() => store.get(conversation.id), () => store.join(conversation.id, bundle())]
    ) {
      await assert.rejects(op, (e: HttpError) => e.status === 503 && e.code === "unavailable");
    }
    await redis.restart();
    for (let i = 0; i < 200 && !link.ready; i++) await new Promise((r) => setTimeout(r, 25));
    // Redis came back empty: the conversation is gone, not an error.
    assert.equal(await store.get(conversation.id), null);
    const made = await store.create({ accessKey: KEY, bundle: bundle(), lifetime: 60 });
    assert.equal((await store.get(made.conversation.id))?.id, made.conversation.id);
  });
});
