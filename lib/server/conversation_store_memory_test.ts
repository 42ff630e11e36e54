import assert from "node:assert/strict";
import type { Bundle } from "../crypto/bundle.ts";
import { FileConversationStore } from "./conversation_store.ts";
import { HttpError } from "./http_error.ts";
import { RecordFiles } from "./record_files.ts";

const KEY = "A".repeat(43);
const SIG = "A".repeat(86);

function bundle(n: number): Bundle {
  const key = `${"A".repeat(42)}${"AEIMQUYcgkosw048"[n]}`;
  return { v: 2, sign: key, dh: key, access: SIG };
}

async function withStore(
  fn: (store: FileConversationStore, dir: string, clock: { now: number }) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const clock = { now: Date.parse("2026-11-24T15:00:00.000Z") };
  const store = new FileConversationStore(dir, { now: () => clock.now });
  await store.open();
  try {
    await fn(store, dir, clock);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const is = (status: number, code: string) => (e: HttpError) =>
  e instanceof HttpError && e.status === status && e.code === code;

Deno.test("an extension moves the expiry later: a sweep at the old end keeps the conversation, one at the new end removes it", async () => {
  await withStore(async (store, dir, clock) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    const other = await store.create({ accessKey: KEY, bundle: bundle(1), lifetime: 90 });
    const later = new Date(Date.parse(conversation.expiresAt) + 60_000).toISOString();
    await store.extend(conversation.id, later, 86_400);
    clock.now += 60_000;
    assert.deepEqual(await store.sweepExpired(), [], "the old end has no effect");
    clock.now += 30_000;
    assert.deepEqual(await store.sweepExpired(), [other.conversation.id]);
    clock.now += 30_000;
    assert.deepEqual(await store.sweepExpired(), [conversation.id]);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  });
});

Deno.test("join() after create() admits from the record in memory, without reading the file again", async () => {
  await withStore(async (store, dir) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    // Were the file read, the damage would make the join a 404.
    await Deno.writeTextFile(`${dir}/${conversation.id}.json`, "{ damaged");
    const joined = await store.join(conversation.id, bundle(1));
    assert.equal(joined.conversation.participants.length, 2);
    const stored = JSON.parse(await Deno.readTextFile(`${dir}/${conversation.id}.json`));
    assert.deepEqual(stored, joined.conversation);
  });
});

Deno.test("get() still reads the file: one removed from outside ends a waiting conversation, and a join after it is a 404", async () => {
  await withStore(async (store, dir) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    await Deno.remove(`${dir}/${conversation.id}.json`);
    assert.equal(await store.get(conversation.id), null);
    await assert.rejects(() => store.join(conversation.id, bundle(1)), is(404, "not_found"));
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), [], "nothing is written back");
  });
});

/** Files whose next read, once armed, finishes only when the test lets it. */
class HeldBackReads extends RecordFiles {
  gate: PromiseWithResolvers<void> | null = null;
  override async read(id: string): Promise<string | null> {
    const text = await super.read(id);
    await this.gate?.promise;
    return text;
  }
}

Deno.test("a read that raced a join never puts the older record back in memory: a third participant is refused", async () => {
  const dir = await Deno.makeTempDir();
  const files = new HeldBackReads(dir);
  const store = new FileConversationStore(dir, { files });
  await store.open();
  try {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    // A socket's read of the one-participant file, finishing after the join.
    files.gate = Promise.withResolvers();
    const staleRead = store.get(conversation.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const gate = files.gate;
    files.gate = null;
    await store.join(conversation.id, bundle(1));
    gate.resolve();
    assert.equal((await staleRead)!.participants.length, 1);
    await assert.rejects(
      () => store.join(conversation.id, bundle(2)),
      is(409, "conversation_full"),
    );
    assert.equal((await store.get(conversation.id))!.participants.length, 2);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a deleted waiting conversation is forgotten in memory too", async () => {
  await withStore(async (store) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    assert.equal(await store.delete(conversation.id), true);
    await assert.rejects(() => store.join(conversation.id, bundle(1)), is(404, "not_found"));
    assert.equal(await store.exists(conversation.id), false);
  });
});

Deno.test("an expired waiting conversation is not joined from memory", async () => {
  await withStore(async (store, dir, clock) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    clock.now += 60_000;
    await assert.rejects(() => store.join(conversation.id, bundle(1)), is(404, "not_found"));
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  });
});
