import assert from "node:assert/strict";
import type { Bundle } from "../crypto/bundle.ts";
import { parseConversationRecord } from "../protocol/conversation_record.ts";
import { FileConversationStore } from "./conversation_store.ts";
import { HttpError } from "./http_error.ts";

const KEY = "A".repeat(43);
const SIG = "A".repeat(86);

function bundle(n: number): Bundle {
  const key = `${"A".repeat(42)}${"AEIMQUYcgkosw048"[n]}`;
  return { v: 2, sign: key, dh: key, access: SIG };
}

async function withStore(
  fn: (
    store: FileConversationStore,
    dir: string,
    clock: { now: number },
    expired: string[],
  ) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const clock = { now: Date.parse("2026-11-24T15:00:00.000Z") };
  const expired: string[] = [];
  const store = new FileConversationStore(dir, {
    now: () => clock.now,
    onExpired: (id) => expired.push(id),
  });
  await store.open();
  try {
    await fn(store, dir, clock, expired);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function files(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("FileConversationStore writes exactly the contract record, one file per conversation", async () => {
  await withStore(async (store, dir) => {
    const { conversation, participantId } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 3600,
    });
    assert.deepEqual(await files(dir), [`${conversation.id}.json`]);
    const stored = JSON.parse(await Deno.readTextFile(`${dir}/${conversation.id}.json`));
    assert.deepEqual(parseConversationRecord(stored), conversation);
    assert.equal(stored.createdAt, "2026-11-24T15:00:00.000Z");
    assert.equal(stored.expiresAt, "2026-11-24T16:00:00.000Z");
    assert.deepEqual(stored.participants, [{ id: participantId, bundle: bundle(0) }]);
    assert.deepEqual(await store.get(conversation.id), conversation);
  });
});

Deno.test("join() admits one more participant, refuses a third and a repeated bundle", async () => {
  await withStore(async (store, _dir, clock) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    await assert.rejects(() => store.join(conversation.id, bundle(0)), (e: HttpError) => {
      return e.status === 409 && e.code === "duplicate_bundle";
    });
    clock.now += 1000;
    const joined = await store.join(conversation.id, bundle(1));
    assert.equal(joined.conversation.participants.length, 2);
    assert.equal(joined.conversation.modifiedAt, "2026-11-24T15:00:01.000Z");
    await assert.rejects(() => store.join(conversation.id, bundle(2)), (e: HttpError) => {
      return e.status === 409 && e.code === "conversation_full";
    });
    await assert.rejects(
      () => store.join("01JD3Q8Z5V4T6N2M8K0P9R7S1A", bundle(3)),
      (e: HttpError) => e.status === 404,
    );
  });
});

Deno.test("concurrent joins on one store admit exactly one", async () => {
  await withStore(async (store) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) => store.join(conversation.id, bundle(n))),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal((await store.get(conversation.id))!.participants.length, 2);
  });
});

Deno.test("an expired conversation reads as absent and its file is removed, reported once", async () => {
  await withStore(async (store, dir, clock, expired) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    clock.now += 59_999;
    assert.notEqual(await store.get(conversation.id), null);
    clock.now += 1;
    assert.equal(await store.get(conversation.id), null);
    assert.deepEqual(await files(dir), []);
    assert.deepEqual(expired, [conversation.id], "the read that removed it reports it");
    assert.equal(await store.get(conversation.id), null);
    assert.deepEqual(await store.sweepExpired(), []);
    assert.deepEqual(expired, [conversation.id], "and nothing after it");
  });
});

Deno.test("sweepExpired() removes only expired conversations", async () => {
  await withStore(async (store, dir, clock) => {
    const short = await store.create({ accessKey: KEY, bundle: bundle(0), lifetime: 60 });
    const long = await store.create({ accessKey: KEY, bundle: bundle(1), lifetime: 3600 });
    clock.now += 120_000;
    assert.deepEqual(await store.sweepExpired(), [short.conversation.id]);
    assert.deepEqual(await files(dir), [`${long.conversation.id}.json`]);
  });
});

Deno.test("open() removes leftover temporary files and survives a damaged record", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const id = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
    await Deno.writeTextFile(`${dir}/.${id}.0011223344556677.tmp`, "{half");
    await Deno.writeTextFile(`${dir}/${id}.json`, "{damaged");
    const store = new FileConversationStore(dir);
    await store.open();
    assert.deepEqual(await files(dir), [`${id}.json`], "the damaged file is left for the operator");
    assert.equal(await store.get(id), null);
    assert.deepEqual(await store.sweepExpired(), []);
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("IDs that are not ULIDs never form a path", async () => {
  await withStore(async (store, dir) => {
    for (const id of ["../x", "..%2fx", "01JD3Q8Z5V4T6N2M8K0P9R7S1AB", "", "/etc/passwd"]) {
      assert.equal(await store.get(id), null);
      assert.equal(await store.delete(id), false);
    }
    assert.deepEqual(await files(dir), []);
  });
});

Deno.test("each conversation is removed at its expiresAt by the store's timer, and reported", async () => {
  const dir = await Deno.makeTempDir();
  const expired: string[] = [];
  const store = new FileConversationStore(dir, { onExpired: (id) => expired.push(id) });
  try {
    await store.open();
    const short = await store.create({ accessKey: KEY, bundle: bundle(0), lifetime: 1 });
    const long = await store.create({ accessKey: KEY, bundle: bundle(1), lifetime: 3600 });
    const deleted = await store.create({ accessKey: KEY, bundle: bundle(2), lifetime: 1 });
    assert.equal(await store.delete(deleted.conversation.id), true);
    const expiresAt = Date.parse(short.conversation.expiresAt);
    while (expired.length === 0 && Date.now() < expiresAt + 2000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(Date.now() < expiresAt + 1000, "removed within a second of expiresAt");
    assert.deepEqual(await files(dir), [`${long.conversation.id}.json`]);
    assert.deepEqual(expired, [short.conversation.id], "a deleted conversation is not reported");
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open() schedules the files it finds, and sweepExpired() reads none of them", async () => {
  const dir = await Deno.makeTempDir();
  const clock = { now: Date.parse("2026-11-24T15:00:00.000Z") };
  try {
    const first = new FileConversationStore(dir, { now: () => clock.now });
    await first.open();
    const { conversation } = await first.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    first.close();
    const second = new FileConversationStore(dir, { now: () => clock.now });
    await second.open();
    try {
      // Damage the file: a sweep that read it would leave it (it reads as absent).
      await Deno.writeTextFile(`${dir}/${conversation.id}.json`, "{damaged");
      assert.deepEqual(await second.sweepExpired(), []);
      clock.now += 60_000;
      assert.deepEqual(await second.sweepExpired(), [conversation.id]);
      assert.deepEqual(await files(dir), []);
    } finally {
      second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
