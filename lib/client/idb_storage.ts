import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import {
  type ClientStorage,
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
    });
  }

  async getConversation(id: string): Promise<StoredConversation | undefined> {
    return (await this.#db).get("conversations", id);
  }

  async putConversation(
    conversation: StoredConversation,
    options: { writer?: string } = {},
  ): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction("conversations", "readwrite", STRICT);
    if (options.writer === undefined) {
      await Promise.all([tx.store.put(conversation), tx.done]);
      return;
    }
    const current = await tx.store.get(conversation.id);
    if (current?.writer !== options.writer) {
      tx.abort();
      await tx.done.catch(() => {});
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
    const tx = (await this.#db).transaction("messages", "readwrite", STRICT);
    await Promise.all([tx.store.put(message), tx.done]);
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
    const tx = (await this.#db).transaction("files", "readwrite", STRICT);
    await Promise.all([tx.store.put({ conversationId, id, blob }), tx.done]);
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
    const tx = db.transaction("chunks", "readwrite", STRICT);
    const known = await tx.store.getKey([conversationId, fileId, index]);
    if (known === undefined) await tx.store.put({ conversationId, fileId, index, data });
    await tx.done;
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
}

/** Every key `[conversationId, …]` of a two-part key. */
function range(conversationId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, ""], [conversationId, "\uffff"]);
}

/** Every chunk key `[conversationId, fileId, index]` of one file. */
function chunkRange(conversationId: string, fileId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, fileId, 0], [conversationId, fileId, Infinity]);
}
