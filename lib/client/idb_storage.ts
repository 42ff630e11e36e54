import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB } from "idb";
import {
  type ClientStorage,
  ConversationGoneError,
  StaleWriterError,
  type StorageMaintenance,
  type StoredConversation,
  type StoredMessage,
} from "./storage.ts";
import { estimateSize } from "./storage_size.ts";

const DB_NAME = "the-anonymous";
const DB_VERSION = 2;
const STORES = ["conversations", "messages", "files", "chunks"] as const;

/**
 * Every write transaction reports completion only once its data is flushed
 * to disk. Under Chromium's default ("relaxed") durability a completed
 * transaction can still be lost in a power cut or an OS crash: a ratchet
 * state saved before a send could come back older than what was sent, and a
 * received message could vanish after its receipt went out. The per-message
 * salt makes such a lost write harmless to the encryption; strict durability
 * makes it rare, as far as the disk honours a flush.
 */
const STRICT: IDBTransactionOptions = { durability: "strict" };
/** For writes that may be lost in a crash because they are made again. */
const RELAXED: IDBTransactionOptions = { durability: "relaxed" };

interface Schema extends DBSchema {
  conversations: { key: string; value: StoredConversation };
  messages: {
    key: [string, string];
    value: StoredMessage;
    indexes: { byConversation: string };
  };
  files: {
    key: [string, string];
    value: { conversationId: string; id: string; blob: Blob };
  };
  chunks: {
    key: [string, string, number];
    value: { conversationId: string; fileId: string; index: number; data: Uint8Array };
  };
}

/**
 * Client storage in IndexedDB. Keys are stored as non-extractable
 * `CryptoKey` objects, which no script can read the bytes of.
 *
 * Every write of a message, file or chunk checks, in its own transaction,
 * that the conversation record exists, so a tab still running a deleted
 * conversation writes nothing back. Opening the storage sweeps rows whose
 * conversation is gone (left by versions that wrote without that check).
 */
export class IdbStorage implements ClientStorage, StorageMaintenance {
  #db: Promise<IDBPDatabase<Schema>>;

  constructor() {
    this.#db = openDB<Schema>(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore("conversations", { keyPath: "id" });
          const messages = db.createObjectStore("messages", {
            keyPath: ["conversationId", "id"],
          });
          messages.createIndex("byConversation", "conversationId");
        }
        if (oldVersion < 2) {
          db.createObjectStore("files", { keyPath: ["conversationId", "id"] });
          db.createObjectStore("chunks", { keyPath: ["conversationId", "fileId", "index"] });
        }
      },
    }).then(async (db) => {
      // Leftovers must not keep the conversations that are fine from opening.
      await sweepOrphans(db).catch((error) => {
        console.warn(`Cannot sweep orphaned rows: ${(error as Error).message}`);
      });
      return db;
    });
  }

  async getConversation(id: string): Promise<StoredConversation | undefined> {
    return (await this.#db).get("conversations", id);
  }

  async putConversation(
    conversation: StoredConversation,
    options: { writer?: string; relaxed?: boolean } = {},
  ): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction("conversations", "readwrite", options.relaxed ? RELAXED : STRICT);
    if (options.writer === undefined) {
      await Promise.all([tx.store.put(conversation), tx.done]);
      return;
    }
    const current = await tx.store.get(conversation.id);
    if (current?.writer !== options.writer) {
      tx.abort();
      await tx.done.catch(() => {});
      if (current === undefined) throw new ConversationGoneError(conversation.id);
      throw new StaleWriterError(conversation.id);
    }
    await tx.store.put(conversation);
    await tx.done;
  }

  async claimConversation(id: string, writer: string): Promise<StoredConversation | undefined> {
    const db = await this.#db;
    const tx = db.transaction("conversations", "readwrite", STRICT);
    const current = await tx.store.get(id);
    if (current === undefined) {
      await tx.done;
      return undefined;
    }
    const claimed = { ...current, writer };
    await tx.store.put(claimed);
    await tx.done;
    return claimed;
  }

  async listConversations(): Promise<StoredConversation[]> {
    return (await this.#db).getAll("conversations");
  }

  async deleteConversation(id: string): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(STORES, "readwrite", STRICT);
    await Promise.all([
      tx.objectStore("conversations").delete(id),
      tx.objectStore("messages").delete(range(id)),
      tx.objectStore("files").delete(range(id)),
      tx.objectStore("chunks").delete(IDBKeyRange.bound([id], [id, []])),
    ]);
    await tx.done;
  }

  async getMessage(conversationId: string, id: string): Promise<StoredMessage | undefined> {
    return (await this.#db).get("messages", [conversationId, id]);
  }

  async putMessage(message: StoredMessage): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(["conversations", "messages"], "readwrite", STRICT);
    await assertKept(tx, message.conversationId);
    await Promise.all([tx.objectStore("messages").put(message), tx.done]);
  }

  async deleteMessage(conversationId: string, id: string): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(["messages", "files", "chunks"], "readwrite", STRICT);
    await Promise.all([
      tx.objectStore("messages").delete([conversationId, id]),
      tx.objectStore("files").delete([conversationId, id]),
      tx.objectStore("chunks").delete(chunkRange(conversationId, id)),
    ]);
    await tx.done;
  }

  async listMessages(conversationId: string): Promise<StoredMessage[]> {
    // The primary key sorts by conversation, then by ULID: oldest first.
    return (await this.#db).getAll("messages", range(conversationId));
  }

  async putFile(conversationId: string, id: string, blob: Blob): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(["conversations", "files"], "readwrite", STRICT);
    await assertKept(tx, conversationId);
    await Promise.all([tx.objectStore("files").put({ conversationId, id, blob }), tx.done]);
  }

  async getFile(conversationId: string, id: string): Promise<Blob | undefined> {
    return (await (await this.#db).get("files", [conversationId, id]))?.blob;
  }

  async putChunk(
    conversationId: string,
    fileId: string,
    index: number,
    data: Uint8Array,
  ): Promise<boolean> {
    const db = await this.#db;
    // Relaxed: a chunk lost in a crash is sent again, as its file has no
    // receipt yet; one flush per chunk would halve the speed of a transfer.
    const tx = db.transaction(["conversations", "chunks"], "readwrite", RELAXED);
    const chunks = tx.objectStore("chunks");
    // Asked together, not one after the other: each answer is a round trip.
    const asked = chunks.getKey([conversationId, fileId, index]);
    asked.catch(() => {}); // Aborted with the transaction when the conversation is gone.
    await assertKept(tx, conversationId);
    const known = await asked;
    const put = known === undefined ? chunks.put({ conversationId, fileId, index, data }) : null;
    await Promise.all([put, tx.done]);
    return known === undefined;
  }

  async getChunks(conversationId: string, fileId: string): Promise<Uint8Array[]> {
    const rows = await (await this.#db).getAll("chunks", chunkRange(conversationId, fileId));
    return rows.map((row) => row.data);
  }

  async countChunks(conversationId: string, fileId: string): Promise<number> {
    return (await this.#db).count("chunks", chunkRange(conversationId, fileId));
  }

  async deleteChunks(conversationId: string, fileId: string): Promise<void> {
    const tx = (await this.#db).transaction("chunks", "readwrite", STRICT);
    await Promise.all([tx.store.delete(chunkRange(conversationId, fileId)), tx.done]);
  }

  async measureConversation(id: string): Promise<number> {
    const conversation = await this.getConversation(id);
    if (conversation === undefined) return 0;
    const db = await this.#db;
    const messages = await this.listMessages(id);
    const files = await db.getAll("files", range(id));
    const chunks = await db.getAll("chunks", IDBKeyRange.bound([id], [id, []]));
    return estimateSize(conversation) + estimateSize(messages) +
      files.reduce((sum, file) => sum + file.blob.size, 0) +
      chunks.reduce((sum, chunk) => sum + chunk.data.length, 0);
  }

  async clearAll(): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(STORES, "readwrite", STRICT);
    await Promise.all(STORES.map((name) => tx.objectStore(name).clear()));
    await tx.done;
  }

  /** Sweeps orphaned rows now; opening the storage already did once. */
  async sweepOrphans(): Promise<void> {
    await sweepOrphans(await this.#db);
  }
}

/**
 * Aborts `tx` and throws `ConversationGoneError` unless the record of
 * `conversationId` exists; the caller's write then happens in the same
 * transaction, so a deletion cannot come in between.
 */
async function assertKept(
  tx: IDBPTransaction<Schema, ("conversations" | "messages" | "files" | "chunks")[], "readwrite">,
  conversationId: string,
): Promise<void> {
  if (await tx.objectStore("conversations").getKey(conversationId) !== undefined) return;
  tx.abort();
  await tx.done.catch(() => {});
  throw new ConversationGoneError(conversationId);
}

/**
 * Deletes every message, file and chunk whose conversation record is gone,
 * in one transaction. It visits one key per conversation and store (the
 * cursor jumps past each conversation's rows), so it costs little when
 * nothing is orphaned.
 */
async function sweepOrphans(db: IDBPDatabase<Schema>): Promise<void> {
  const tx = db.transaction(STORES, "readwrite", STRICT);
  const kept = new Set(await tx.objectStore("conversations").getAllKeys());
  for (const name of ["messages", "files", "chunks"] as const) {
    const store = tx.objectStore(name);
    let cursor = await store.openKeyCursor();
    while (cursor !== null) {
      const conversationId = cursor.key[0];
      // An array sorts after every string and number: [id, []] follows all of id's keys.
      const after: IDBValidKey = [conversationId, []];
      if (!kept.has(conversationId)) {
        await store.delete(IDBKeyRange.bound([conversationId], after));
      }
      // The schema types keys as [string, string, …]; the array key is valid all the same.
      cursor = await cursor.continue(after as [string, string]);
    }
  }
  await tx.done;
}

/** Every key `[conversationId, …]` of a two-part key. */
function range(conversationId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, ""], [conversationId, "\uffff"]);
}

/** Every chunk key `[conversationId, fileId, index]` of one file. */
function chunkRange(conversationId: string, fileId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, fileId, 0], [conversationId, fileId, Infinity]);
}
