/**
 * The same behaviour from both conversation stores: the JSON files of the
 * single process and the Redis store of several instances.
 */
import assert from "node:assert/strict";
import type { Bundle } from "../crypto/bundle.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { HAS_REDIS, startRedis } from "../../tests/fixtures/redis.ts";
import { type ConversationStore, FileConversationStore } from "./conversation_store.ts";
import type { HttpError } from "./http_error.ts";
import { connectRedis } from "./redis/client.ts";
import { RedisConversationStore } from "./redis/store.ts";

const KEY = "A".repeat(43);

function bundle(): Bundle {
  const key = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { v: 2, sign: key, dh: key, access: "A".repeat(86) };
}

type Open = () => Promise<{ store: ConversationStore } & AsyncDisposable>;

const STORES: { name: string; ignore: boolean; open: Open }[] = [
  {
    name: "FileConversationStore",
    ignore: false,
    async open() {
      const dir = await Deno.makeTempDir();
      const store = new FileConversationStore(dir);
      await store.open();
      return {
        store,
        async [Symbol.asyncDispose]() {
          store.close();
          await Deno.remove(dir, { recursive: true });
        },
      };
    },
  },
  {
    name: "RedisConversationStore",
    ignore: !HAS_REDIS,
    async open() {
      const redis = await startRedis();
      const link = await connectRedis(redis.url, () => {});
      return {
        store: new RedisConversationStore(link.command),
        async [Symbol.asyncDispose]() {
          await link.close();
          await redis[Symbol.asyncDispose]();
        },
      };
    },
  },
];

const is = (status: number, code: string) => (e: HttpError) =>
  e.status === status && e.code === code;

for (const { name, ignore, open } of STORES) {
  Deno.test({
    name: `${name} keeps the store contract: create, get, exists, join, full, duplicate, delete`,
    ignore,
    async fn() {
      await using opened = await open();
      const { store } = opened;
      const first = bundle();
      const { conversation, participantId } = await store.create({
        accessKey: KEY,
        bundle: first,
        lifetime: 3600,
      });
      assert.deepEqual(conversation.participants, [{ id: participantId, bundle: first }]);
      assert.deepEqual(await store.get(conversation.id), conversation);
      assert.equal(await store.exists(conversation.id), true);
      await assert.rejects(() => store.join(conversation.id, first), is(409, "duplicate_bundle"));
      const joined = await store.join(conversation.id, bundle());
      assert.deepEqual(await store.get(conversation.id), joined.conversation);
      await assert.rejects(
        () => store.join(conversation.id, bundle()),
        is(409, "conversation_full"),
      );
      assert.equal(await store.delete(conversation.id), true);
      assert.equal(await store.delete(conversation.id), false);
      assert.equal(await store.get(conversation.id), null);
      assert.equal(await store.exists(conversation.id), false);
      await assert.rejects(() => store.join(conversation.id, bundle()), is(404, "not_found"));
      for (const bad of ["../etc/passwd", "", "01jd3q8z5v4t6n2m8k0p9r7s1a"]) {
        assert.equal(await store.get(bad), null);
        assert.equal(await store.exists(bad), false);
      }
    },
  });

  Deno.test({
    name: `${name} admits exactly one of 10 concurrent joins`,
    ignore,
    async fn() {
      await using opened = await open();
      const { store } = opened;
      const { conversation } = await store.create({
        accessKey: KEY,
        bundle: bundle(),
        lifetime: 60,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => store.join(conversation.id, bundle())),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      assert.equal((await store.get(conversation.id))!.participants.length, 2);
    },
  });
}

for (const { name, ignore, open } of STORES) {
  Deno.test({
    name:
      `${name} extends a conversation to a later end within the maximum lifetime and refuses the rest`,
    ignore,
    async fn() {
      await using opened = await open();
      const { store } = opened;
      const { conversation } = await store.create({
        accessKey: KEY,
        bundle: bundle(),
        lifetime: 60,
      });
      const later = new Date(Date.parse(conversation.expiresAt) + 3_600_000).toISOString();
      const extended = await store.extend(conversation.id, later, 86_400);
      assert.equal(extended.expiresAt, later);
      assert.deepEqual(extended.participants, conversation.participants);
      assert.deepEqual(await store.get(conversation.id), extended);
      await assert.rejects(
        () => store.extend(conversation.id, conversation.expiresAt, 86_400),
        is(409, "not_later"),
      );
      const tooLate = new Date(Date.parse(conversation.createdAt) + 2 * 86_400_000).toISOString();
      await assert.rejects(
        () => store.extend(conversation.id, tooLate, 86_400),
        is(422, "lifetime_too_long"),
      );
      assert.deepEqual(await store.get(conversation.id), extended, "a refusal changes nothing");
      await assert.rejects(
        () => store.extend("01JD3Q8Z5V4T6N2M8K0P9R7S1A", later, 86_400),
        is(404, "not_found"),
      );
    },
  });
}
