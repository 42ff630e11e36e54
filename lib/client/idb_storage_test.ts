// IdbStorage on fake-indexeddb (a complete IndexedDB in JavaScript), so the
// storage code runs in Deno: every write must open its transaction with
// strict durability, and the data must read back.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { IdbStorage } from "./idb_storage.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

const CONVERSATION_ID = "01JGZ0000000000000000000C2";
const MESSAGE_ID = "01JGZ000000000000000000100";
const FILE_ID = "01JGZ000000000000000000101";

/** Records every transaction IdbStorage opens, with its mode and durability. */
function watchTransactions(): IDBTransaction[] {
  const opened: IDBTransaction[] = [];
  const original = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase["transaction"]>
  ) {
    const tx = original.apply(this, args);
    opened.push(tx);
    return tx;
  };
  return opened;
}

function conversation(writer?: string): StoredConversation {
  // Only the fields storage itself reads; the rest is opaque to it.
  return { id: CONVERSATION_ID, protocol: 3, writer } as unknown as StoredConversation;
}

function message(): StoredMessage {
  return {
    conversationId: CONVERSATION_ID,
    id: MESSAGE_ID,
    direction: "out",
    kind: "text",
    text: "kept",
  } as unknown as StoredMessage;
}

Deno.test("every IndexedDB write (conversation record, message, file, chunk, delete) commits with strict durability", async () => {
  const opened = watchTransactions();
  const storage = new IdbStorage();
  const writes: [string, () => Promise<unknown>][] = [
    ["putConversation", () => storage.putConversation(conversation())],
    ["claimConversation", () => storage.claimConversation(CONVERSATION_ID, "tab-1")],
    [
      "putConversation as writer",
      () => storage.putConversation(conversation("tab-1"), { writer: "tab-1" }),
    ],
    ["putMessage", () => storage.putMessage(message())],
    ["putFile", () => storage.putFile(CONVERSATION_ID, FILE_ID, new Blob(["file"]))],
    ["putChunk", () => storage.putChunk(CONVERSATION_ID, FILE_ID, 0, Uint8Array.of(1, 2))],
    ["deleteChunks", () => storage.deleteChunks(CONVERSATION_ID, FILE_ID)],
    ["deleteMessage", () => storage.deleteMessage(CONVERSATION_ID, MESSAGE_ID)],
    ["deleteConversation", () => storage.deleteConversation(CONVERSATION_ID)],
    ["clearAll", () => storage.clearAll()],
  ];
  // Opening the database runs its upgrade first, outside any write.
  await storage.listConversations();
  for (const [name, write] of writes) {
    const from = opened.length;
    await write();
    const transactions = opened.slice(from).filter((tx) => tx.mode === "readwrite");
    assert.ok(transactions.length > 0, `${name} writes in a transaction`);
    for (const tx of transactions) {
      assert.equal(tx.durability, "strict", `${name} commits with strict durability`);
    }
  }
});

Deno.test("IdbStorage reads back what it wrote, and a stale writer changes nothing", async () => {
  const storage = new IdbStorage();
  await storage.clearAll();
  await storage.putConversation(conversation());
  await storage.claimConversation(CONVERSATION_ID, "tab-2");
  await storage.putMessage(message());
  assert.equal(await storage.putChunk(CONVERSATION_ID, FILE_ID, 1, Uint8Array.of(9)), true);
  assert.equal(await storage.putChunk(CONVERSATION_ID, FILE_ID, 1, Uint8Array.of(8)), false);
  assert.equal((await storage.getConversation(CONVERSATION_ID))?.writer, "tab-2");
  assert.equal((await storage.getMessage(CONVERSATION_ID, MESSAGE_ID))?.text, "kept");
  assert.deepEqual(await storage.getChunks(CONVERSATION_ID, FILE_ID), [Uint8Array.of(9)]);
  await assert.rejects(
    () => storage.putConversation(conversation("tab-1"), { writer: "tab-1" }),
    { name: "StaleWriterError" },
  );
  assert.equal((await storage.getConversation(CONVERSATION_ID))?.writer, "tab-2");
  await storage.deleteConversation(CONVERSATION_ID);
  assert.equal(await storage.getConversation(CONVERSATION_ID), undefined);
  assert.equal(await storage.countChunks(CONVERSATION_ID, FILE_ID), 0);
});
