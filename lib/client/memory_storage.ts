import {
  type ClientStorage,
  ConversationGoneError,
  StaleWriterError,
  type StorageMaintenance,
  type StoredConversation,
  type StoredMessage,
} from "./storage.ts";
import { estimateSize } from "./storage_size.ts";

/**
 * Client storage in memory, for running the client where IndexedDB does not
 * exist (Deno). Values are copied in and out with `structuredClone`, as
 * IndexedDB does, so callers cannot alias stored state.
 */
export class MemoryStorage implements ClientStorage, StorageMaintenance {
  #conversations = new Map<string, StoredConversation>();
  #messages = new Map<string, StoredMessage>();
  #files = new Map<string, Blob>();
  #chunks = new Map<string, Map<number, Uint8Array>>();

  getConversation(id: string): Promise<StoredConversation | undefined> {
    const value = this.#conversations.get(id);
    return Promise.resolve(value && structuredClone(value));
  }

  putConversation(
    conversation: StoredConversation,
    options: { writer?: string; relaxed?: boolean } = {},
  ): Promise<void> {
    if (options.writer !== undefined) {
      const current = this.#conversations.get(conversation.id);
      if (current === undefined) return Promise.reject(new ConversationGoneError(conversation.id));
      if (current.writer !== options.writer) {
        return Promise.reject(new StaleWriterError(conversation.id));
      }
    }
    this.#conversations.set(conversation.id, structuredClone(conversation));
    return Promise.resolve();
  }

  claimConversation(id: string, writer: string): Promise<StoredConversation | undefined> {
    const current = this.#conversations.get(id);
    if (current === undefined) return Promise.resolve(undefined);
    const claimed = { ...current, writer };
    this.#conversations.set(id, structuredClone(claimed));
    return Promise.resolve(structuredClone(claimed));
  }

  listConversations(): Promise<StoredConversation[]> {
    return Promise.resolve([...this.#conversations.values()].map((c) => structuredClone(c)));
  }

  deleteConversation(id: string): Promise<void> {
    this.#conversations.delete(id);
    for (const map of [this.#messages, this.#files, this.#chunks]) {
      for (const key of map.keys()) {
        if (key.startsWith(`${id}/`)) map.delete(key);
      }
    }
    return Promise.resolve();
  }

  deleteMessage(conversationId: string, id: string): Promise<void> {
    const key = `${conversationId}/${id}`;
    this.#messages.delete(key);
    this.#files.delete(key);
    this.#chunks.delete(key);
    return Promise.resolve();
  }

  putFile(conversationId: string, id: string, blob: Blob): Promise<void> {
    if (!this.#conversations.has(conversationId)) return gone(conversationId);
    // Blobs are immutable, so keeping the same object is a faithful copy.
    this.#files.set(`${conversationId}/${id}`, blob);
    return Promise.resolve();
  }

  getFile(conversationId: string, id: string): Promise<Blob | undefined> {
    return Promise.resolve(this.#files.get(`${conversationId}/${id}`));
  }

  putChunk(
    conversationId: string,
    fileId: string,
    index: number,
    data: Uint8Array,
  ): Promise<boolean> {
    if (!this.#conversations.has(conversationId)) return gone(conversationId);
    const key = `${conversationId}/${fileId}`;
    const chunks = this.#chunks.get(key) ?? new Map<number, Uint8Array>();
    this.#chunks.set(key, chunks);
    const fresh = !chunks.has(index);
    if (fresh) chunks.set(index, data.slice());
    return Promise.resolve(fresh);
  }

  getChunks(conversationId: string, fileId: string): Promise<Uint8Array[]> {
    const chunks = this.#chunks.get(`${conversationId}/${fileId}`) ?? new Map();
    return Promise.resolve(
      [...chunks.entries()].sort(([a], [b]) => a - b).map(([, data]) => data.slice()),
    );
  }

  countChunks(conversationId: string, fileId: string): Promise<number> {
    return Promise.resolve(this.#chunks.get(`${conversationId}/${fileId}`)?.size ?? 0);
  }

  deleteChunks(conversationId: string, fileId: string): Promise<void> {
    this.#chunks.delete(`${conversationId}/${fileId}`);
    return Promise.resolve();
  }

  getMessage(conversationId: string, id: string): Promise<StoredMessage | undefined> {
    const value = this.#messages.get(`${conversationId}/${id}`);
    return Promise.resolve(value && structuredClone(value));
  }

  putMessage(message: StoredMessage): Promise<void> {
    if (!this.#conversations.has(message.conversationId)) return gone(message.conversationId);
    this.#messages.set(`${message.conversationId}/${message.id}`, structuredClone(message));
    return Promise.resolve();
  }

  listMessages(conversationId: string): Promise<StoredMessage[]> {
    return Promise.resolve(
      [...this.#messages.values()]
        .filter((m) => m.conversationId === conversationId)
        .sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
        .map((m) => structuredClone(m)),
    );
  }

  async measureConversation(id: string): Promise<number> {
    const conversation = await this.getConversation(id);
    if (conversation === undefined) return 0;
    return estimateSize(conversation) + estimateSize(await this.listMessages(id));
  }

  clearAll(): Promise<void> {
    this.#conversations.clear();
    this.#messages.clear();
    this.#files.clear();
    this.#chunks.clear();
    return Promise.resolve();
  }

  sweepOrphans(): Promise<void> {
    for (const map of [this.#messages, this.#files, this.#chunks]) {
      for (const key of map.keys()) {
        if (!this.#conversations.has(key.slice(0, key.indexOf("/")))) map.delete(key);
      }
    }
    return Promise.resolve();
  }
}

/** The refusal of a write for a conversation that is not (or no longer) stored. */
function gone(conversationId: string): Promise<never> {
  return Promise.reject(new ConversationGoneError(conversationId));
}
