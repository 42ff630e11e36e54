import { begin, openDatabase, read, result, type Transaction } from "./idb_lite.ts";
import {
  type ClientStorage,
  ConversationGoneError,
  StaleWriterError,
  type StorageMaintenance,
  type StoredConversation,
  type StoredMessage,
} from "./storage.ts";

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

/** A chunk as stored, under the key `[conversationId, fileId, index]`. */
interface ChunkRow {
  conversationId: string;
  fileId: string;
  index: number;
  data: Uint8Array;
}

/**
 * Client storage in IndexedDB. Keys are stored as non-extractable
 * `CryptoKey` objects, which no script can read the bytes of.
 *
 * Every write of a message, file or chunk checks, in its own transaction,
 * that the conversation record exists, so a tab still running a deleted
 * conversation writes nothing back. Opening the storage sweeps rows whose
 * conversation is gone (left by versions that wrote without that check),
 * once the page is idle.
 */
export class IdbStorage implements ClientStorage, StorageMaintenance {
  #db: Promise<IDBDatabase>;

  constructor() {
    this.#db = openDatabase(DB_NAME, DB_VERSION, (db, oldVersion) => {
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
    });
    // Leftovers show nothing and block nothing: swept once the page is idle
    // (at once where a runtime cannot say), with code fetched only then.
    const idle = globalThis.requestIdleCallback ?? ((run: () => void) => run());
    idle(() => {
      this.sweepOrphans().catch((error) => {
        console.warn(`Cannot sweep orphaned rows: ${(error as Error).message}`);
      });
    });
  }

  async getConversation(id: string): Promise<StoredConversation | undefined> {
    return await read(this.#db, "conversations", (store) => store.get(id));
  }

  async putConversation(
    conversation: StoredConversation,
    options: { writer?: string; relaxed?: boolean } = {},
  ): Promise<void> {
    const db = await this.#db;
    const { tx, done } = begin(
      db,
      "conversations",
      "readwrite",
      options.relaxed ? RELAXED : STRICT,
    );
    const store = tx.objectStore("conversations");
    if (options.writer === undefined) {
      await Promise.all([result(store.put(conversation)), done]);
      return;
    }
    const current: StoredConversation | undefined = await result(store.get(conversation.id));
    if (current?.writer !== options.writer) {
      tx.abort();
      await done.catch(() => {});
      if (current === undefined) throw new ConversationGoneError(conversation.id);
      throw new StaleWriterError(conversation.id);
    }
    await result(store.put(conversation));
    await done;
  }

  async claimConversation(id: string, writer: string): Promise<StoredConversation | undefined> {
    const db = await this.#db;
    const { tx, done } = begin(db, "conversations", "readwrite", STRICT);
    const store = tx.objectStore("conversations");
    const current: StoredConversation | undefined = await result(store.get(id));
    if (current === undefined) {
      await done;
      return undefined;
    }
    const claimed = { ...current, writer };
    await result(store.put(claimed));
    await done;
    return claimed;
  }

  async listConversations(): Promise<StoredConversation[]> {
    return await read(this.#db, "conversations", (store) => store.getAll());
  }

  async deleteConversation(id: string): Promise<void> {
    const db = await this.#db;
    const { tx, done } = begin(db, [...STORES], "readwrite", STRICT);
    await Promise.all([
      result(tx.objectStore("conversations").delete(id)),
      result(tx.objectStore("messages").delete(range(id))),
      result(tx.objectStore("files").delete(range(id))),
      result(tx.objectStore("chunks").delete(IDBKeyRange.bound([id], [id, []]))),
    ]);
    await done;
  }

  async getMessage(conversationId: string, id: string): Promise<StoredMessage | undefined> {
    return await read(this.#db, "messages", (store) => store.get([conversationId, id]));
  }

  async putMessage(message: StoredMessage): Promise<void> {
    const db = await this.#db;
    const t = begin(db, ["conversations", "messages"], "readwrite", STRICT);
    await assertKept(t, message.conversationId);
    await Promise.all([result(t.tx.objectStore("messages").put(message)), t.done]);
  }

  async deleteMessage(conversationId: string, id: string): Promise<void> {
    const db = await this.#db;
    const { tx, done } = begin(db, ["messages", "files", "chunks"], "readwrite", STRICT);
    await Promise.all([
      result(tx.objectStore("messages").delete([conversationId, id])),
      result(tx.objectStore("files").delete([conversationId, id])),
      result(tx.objectStore("chunks").delete(chunkRange(conversationId, id))),
    ]);
    await done;
  }

  async listMessages(conversationId: string): Promise<StoredMessage[]> {
    // The primary key sorts by conversation, then by ULID: oldest first.
    return await read(this.#db, "messages", (store) => store.getAll(range(conversationId)));
  }

  async putFile(conversationId: string, id: string, blob: Blob): Promise<void> {
    const db = await this.#db;
    const t = begin(db, ["conversations", "files"], "readwrite", STRICT);
    await assertKept(t, conversationId);
    await Promise.all([
      result(t.tx.objectStore("files").put({ conversationId, id, blob })),
      t.done,
    ]);
  }

  async getFile(conversationId: string, id: string): Promise<Blob | undefined> {
    const row: { blob: Blob } | undefined = await read(
      this.#db,
      "files",
      (s) => s.get([conversationId, id]),
    );
    return row?.blob;
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
    const t = begin(db, ["conversations", "chunks"], "readwrite", RELAXED);
    const chunks = t.tx.objectStore("chunks");
    // Asked together, not one after the other: each answer is a round trip.
    const asked = result(chunks.getKey([conversationId, fileId, index]));
    asked.catch(() => {}); // Aborted with the transaction when the conversation is gone.
    await assertKept(t, conversationId);
    const known = await asked;
    const row: ChunkRow = { conversationId, fileId, index, data };
    const put = known === undefined ? result(chunks.put(row)) : null;
    await Promise.all([put, t.done]);
    return known === undefined;
  }

  async getChunks(conversationId: string, fileId: string): Promise<Uint8Array[]> {
    const keys = chunkRange(conversationId, fileId);
    const rows: ChunkRow[] = await read(this.#db, "chunks", (s) => s.getAll(keys));
    return rows.map((row) => row.data);
  }

  async countChunks(conversationId: string, fileId: string): Promise<number> {
    return await read(this.#db, "chunks", (s) => s.count(chunkRange(conversationId, fileId)));
  }

  async deleteChunks(conversationId: string, fileId: string): Promise<void> {
    const { tx, done } = begin(await this.#db, "chunks", "readwrite", STRICT);
    await Promise.all([
      result(tx.objectStore("chunks").delete(chunkRange(conversationId, fileId))),
      done,
    ]);
  }

  async measureConversation(id: string): Promise<number> {
    // Only the settings page measures: the chat and home pages never fetch this.
    const { measureConversation } = await import("./storage_size.ts");
    return await measureConversation(
      id,
      (store, query) => read(this.#db, store, (s) => s.getAll(query)),
    );
  }

  async clearAll(): Promise<void> {
    const db = await this.#db;
    const { tx, done } = begin(db, [...STORES], "readwrite", STRICT);
    await Promise.all(STORES.map((name) => result(tx.objectStore(name).clear())));
    await done;
  }

  /** Sweeps orphaned rows now; opening the storage already asked for one once idle. */
  async sweepOrphans(): Promise<void> {
    const db = await this.#db;
    const { sweepOrphans } = await import("./idb_sweep.ts");
    await sweepOrphans(begin(db, [...STORES], "readwrite", STRICT));
  }
}

/**
 * Aborts `tx` and throws `ConversationGoneError` unless the record of
 * `conversationId` exists; the caller's write then happens in the same
 * transaction, so a deletion cannot come in between.
 */
async function assertKept({ tx, done }: Transaction, conversationId: string): Promise<void> {
  if (await result(tx.objectStore("conversations").getKey(conversationId)) !== undefined) return;
  tx.abort();
  await done.catch(() => {});
  throw new ConversationGoneError(conversationId);
}

/** Every key `[conversationId, …]` of a two-part key. */
function range(conversationId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, ""], [conversationId, "\uffff"]);
}

/** Every chunk key `[conversationId, fileId, index]` of one file. */
function chunkRange(conversationId: string, fileId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, fileId, 0], [conversationId, fileId, Infinity]);
}
