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
    // Rewritten from outside (another size), so get() must read the file.
    const path = `${dir}/${conversation.id}.json`;
    await Deno.writeTextFile(path, JSON.stringify(conversation, null, 2));
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

/** Files that count their reads. */
class CountedReads extends RecordFiles {
  reads = 0;
  override read(id: string): Promise<string | null> {
    this.reads++;
    return super.read(id);
  }
}

async function withCountedStore(
  fn: (store: FileConversationStore, dir: string, files: CountedReads) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const files = new CountedReads(dir);
  const store = new FileConversationStore(dir, { files });
  await store.open();
  try {
    await fn(store, dir, files);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("get() of a waiting conversation reads no file while the file is the one the store wrote", async () => {
  await withCountedStore(async (store, _dir, files) => {
    const { conversation } = await store.create({
      accessKey: KEY,
      bundle: bundle(0),
      lifetime: 60,
    });
    assert.deepEqual(await store.get(conversation.id), conversation);
    assert.deepEqual(await store.get(conversation.id), conversation);
    assert.equal(files.reads, 0);
    // Once full it is no longer held: the next get() reads the file.
    const joined = await store.join(conversation.id, bundle(1));
    assert.deepEqual(await store.get(conversation.id), joined.conversation);
    assert.equal(files.reads, 1);
  });
});

Deno.test("get() reads a waiting conversation's file again once it was changed from outside: damage reads as absent, a replacement as written", async () => {
  await withCountedStore(async (store, dir, files) => {
    const damaged = await store.create({ accessKey: KEY, bundle: bundle(0), lifetime: 60 });
    await Deno.writeTextFile(`${dir}/${damaged.conversation.id}.json`, "{ damaged");
    assert.equal(await store.get(damaged.conversation.id), null);
    await assert.rejects(
      () => store.join(damaged.conversation.id, bundle(1)),
      is(404, "not_found"),
    );

    const replaced = await store.create({ accessKey: KEY, bundle: bundle(2), lifetime: 60 });
    const id = replaced.conversation.id;
    const edited = { ...replaced.conversation, accessKey: `${"B".repeat(42)}A` };
    // A new file renamed over the old one: another inode, the same size.
    await Deno.writeTextFile(`${dir}/.edit`, JSON.stringify(edited) + "\n");
    await Deno.rename(`${dir}/.edit`, `${dir}/${id}.json`);
    assert.deepEqual(await store.get(id), edited);
    // The damaged file twice (its get and its join), the replaced one once.
    assert.equal(files.reads, 3);
  });
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
