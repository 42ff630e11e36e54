import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type {
  ClientStorage,
  StorageMaintenance,
  StoredConversation,
  StoredMessage,
} from "./storage.ts";
import { estimateSize } from "./storage_size.ts";

const DB_NAME = "the-anonymous";
const DB_VERSION = 1;

interface Schema extends DBSchema {
  conversations: { key: string; value: StoredConversation };
  messages: {
    key: [string, string];
    value: StoredMessage;
    indexes: { byConversation: string };
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
      upgrade(db) {
        db.createObjectStore("conversations", { keyPath: "id" });
        const messages = db.createObjectStore("messages", {
          keyPath: ["conversationId", "id"],
        });
        messages.createIndex("byConversation", "conversationId");
      },
    });
  }

  async getConversation(id: string): Promise<StoredConversation | undefined> {
    return (await this.#db).get("conversations", id);
  }

  async putConversation(conversation: StoredConversation): Promise<void> {
    await (await this.#db).put("conversations", conversation);
  }

  async listConversations(): Promise<StoredConversation[]> {
    return (await this.#db).getAll("conversations");
  }

  async deleteConversation(id: string): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(["conversations", "messages"], "readwrite");
    await tx.objectStore("conversations").delete(id);
    const range = IDBKeyRange.bound([id, ""], [id, "\uffff"]);
    await tx.objectStore("messages").delete(range);
    await tx.done;
  }

  async getMessage(conversationId: string, id: string): Promise<StoredMessage | undefined> {
    return (await this.#db).get("messages", [conversationId, id]);
  }

  async putMessage(message: StoredMessage): Promise<void> {
    await (await this.#db).put("messages", message);
  }

  async listMessages(conversationId: string): Promise<StoredMessage[]> {
    // The primary key sorts by conversation, then by ULID: oldest first.
    const range = IDBKeyRange.bound([conversationId, ""], [conversationId, "\uffff"]);
    return (await this.#db).getAll("messages", range);
  }

  async measureConversation(id: string): Promise<number> {
    const conversation = await this.getConversation(id);
    if (conversation === undefined) return 0;
    const messages = await this.listMessages(id);
    return estimateSize(conversation) + estimateSize(messages);
  }

  async clearAll(): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(["conversations", "messages"], "readwrite");
    await Promise.all([
      tx.objectStore("conversations").clear(),
      tx.objectStore("messages").clear(),
    ]);
    await tx.done;
  }
}
