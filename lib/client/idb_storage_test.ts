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

Deno.test("every IndexedDB write (conversation record, message, file, delete) commits with strict durability; chunks and a relaxed save do not", async () => {
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
  // Written again if lost: a chunk (its file has no receipt yet), and the
  // state after opening a chunk (see ClientState.save).
  const relaxed: [string, () => Promise<unknown>][] = [
    ["putChunk", () => storage.putChunk(CONVERSATION_ID, FILE_ID, 0, Uint8Array.of(1, 2))],
    ["putConversation relaxed", () => storage.putConversation(conversation(), { relaxed: true })],
  ];
  await storage.putConversation(conversation());
  for (const [name, write] of relaxed) {
    const from = opened.length;
    await write();
    const transactions = opened.slice(from).filter((tx) => tx.mode === "readwrite");
    assert.ok(transactions.length > 0, `${name} writes in a transaction`);
    for (const tx of transactions) assert.equal(tx.durability, "relaxed", name);
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

/** Everything IndexedDB holds under a conversation's ID, read past IdbStorage. */
async function rowsOf(conversationId: string): Promise<Record<string, number>> {
  const db = await rawDatabase();
  try {
    const tx = db.transaction(["conversations", "messages", "files", "chunks"]);
    const count = (name: string, query: IDBValidKey | IDBKeyRange) =>
      new Promise<number>((resolve, reject) => {
        const request = tx.objectStore(name).count(query);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const all = IDBKeyRange.bound([conversationId], [conversationId, []]);
    return {
      conversations: await count("conversations", conversationId),
      messages: await count("messages", all),
      files: await count("files", all),
      chunks: await count("chunks", all),
    };
  } finally {
    db.close();
  }
}

/** The database as any script of the page sees it, without IdbStorage's checks. */
function rawDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("the-anonymous");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

const NOTHING = { conversations: 0, messages: 0, files: 0, chunks: 0 };

Deno.test("IndexedDB: a message, file or chunk written after the conversation was deleted in settings is refused and leaves nothing", async () => {
  const storage = new IdbStorage();
  await storage.clearAll();
  await storage.putConversation(conversation());
  await storage.claimConversation(CONVERSATION_ID, "tab-1");
  await storage.putMessage(message());
  await storage.putChunk(CONVERSATION_ID, FILE_ID, 0, Uint8Array.of(1));
  // Settings deletes through its own connection, as another tab would.
  await new IdbStorage().deleteConversation(CONVERSATION_ID);

  await assert.rejects(() => storage.putMessage(message()), {
    name: "ConversationGoneError",
    message: `Cannot save to conversation "${CONVERSATION_ID}": it was deleted from this browser`,
  });
  await assert.rejects(() => storage.putFile(CONVERSATION_ID, FILE_ID, new Blob(["file"])), {
    name: "ConversationGoneError",
  });
  await assert.rejects(() => storage.putChunk(CONVERSATION_ID, FILE_ID, 1, Uint8Array.of(2)), {
    name: "ConversationGoneError",
  });
  await assert.rejects(
    () => storage.putConversation(conversation("tab-1"), { writer: "tab-1" }),
    { name: "ConversationGoneError" },
  );
  assert.deepEqual(await rowsOf(CONVERSATION_ID), NOTHING);
});

Deno.test("IndexedDB: writes racing a deletion in settings leave nothing, whichever commits first", async () => {
  const storage = new IdbStorage();
  await storage.clearAll();
  await storage.putConversation(conversation());
  const settings = new IdbStorage();
  await settings.listConversations();
  const results = await Promise.allSettled([
    storage.putMessage(message()),
    settings.deleteConversation(CONVERSATION_ID),
    storage.putFile(CONVERSATION_ID, FILE_ID, new Blob(["file"])),
    storage.putChunk(CONVERSATION_ID, FILE_ID, 0, Uint8Array.of(1)),
  ]);
  for (const result of results) {
    if (result.status === "rejected") assert.equal(result.reason.name, "ConversationGoneError");
  }
  assert.deepEqual(await rowsOf(CONVERSATION_ID), NOTHING);
});

Deno.test("IndexedDB: orphan rows left by an older version are swept when the storage opens", async () => {
  const KEPT_ID = "01JGZ0000000000000000000C3";
  const storage = new IdbStorage();
  await storage.clearAll();
  await storage.putConversation({ ...conversation(), id: KEPT_ID });
  await storage.putMessage({ ...message(), conversationId: KEPT_ID });
  await storage.putChunk(KEPT_ID, FILE_ID, 0, Uint8Array.of(1));
  // Rows of a conversation whose record is gone, written as an older version did.
  const db = await rawDatabase();
  const tx = db.transaction(["messages", "files", "chunks"], "readwrite");
  tx.objectStore("messages").put(message());
  tx.objectStore("messages").put({ ...message(), id: "01JGZ000000000000000000102" });
  tx.objectStore("files").put({ conversationId: CONVERSATION_ID, id: FILE_ID, blob: "bytes" });
  for (const index of [0, 1, 2]) {
    tx.objectStore("chunks").put({
      conversationId: CONVERSATION_ID,
      fileId: FILE_ID,
      index,
      data: Uint8Array.of(index),
    });
  }
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  assert.deepEqual(await rowsOf(CONVERSATION_ID), {
    conversations: 0,
    messages: 2,
    files: 1,
    chunks: 3,
  });

  // A page that opens the storage (any page: home, settings, a chat) sweeps,
  // once it is idle: at once here, where no runtime says so.
  await new IdbStorage().listConversations();
  const deadline = Date.now() + 2000;
  while (await rowsOf(CONVERSATION_ID).then((rows) => rows.messages > 0 || rows.chunks > 0)) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(await rowsOf(CONVERSATION_ID), NOTHING);
  assert.deepEqual(await rowsOf(KEPT_ID), { conversations: 1, messages: 1, files: 0, chunks: 1 });
});

Deno.test("IdbStorage measures one conversation: its record and messages estimated, its files and chunks by their bytes, no other's", async () => {
  const storage = new IdbStorage();
  await storage.clearAll();
  const other = "01JGZ0000000000000000000C3";
  for (const id of [CONVERSATION_ID, other]) {
    await storage.putConversation({ ...conversation(), id });
    await storage.putMessage({ ...message(), conversationId: id });
    await storage.putFile(id, FILE_ID, new Blob([new Uint8Array(1000)]));
    await storage.putChunk(id, FILE_ID, 0, new Uint8Array(300));
  }
  await storage.putChunk(other, FILE_ID, 1, new Uint8Array(5000));
  const { estimateSize } = await import("./storage_size.ts");
  const record = await storage.getConversation(CONVERSATION_ID);
  const messages = await storage.listMessages(CONVERSATION_ID);
  assert.equal(
    await storage.measureConversation(CONVERSATION_ID),
    estimateSize(record) + estimateSize(messages) + 1000 + 300,
  );
  assert.equal(await storage.measureConversation("01JGZ0000000000000000000C4"), 0);
  await storage.clearAll();
});
