import type {
  ClientStorage,
  StorageMaintenance,
  StoredConversation,
  StoredMessage,
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

  getConversation(id: string): Promise<StoredConversation | undefined> {
    const value = this.#conversations.get(id);
    return Promise.resolve(value && structuredClone(value));
  }

  putConversation(conversation: StoredConversation): Promise<void> {
    this.#conversations.set(conversation.id, structuredClone(conversation));
    return Promise.resolve();
  }

  listConversations(): Promise<StoredConversation[]> {
    return Promise.resolve([...this.#conversations.values()].map((c) => structuredClone(c)));
  }

  deleteConversation(id: string): Promise<void> {
    this.#conversations.delete(id);
    for (const [key, message] of this.#messages) {
      if (message.conversationId === id) this.#messages.delete(key);
    }
    return Promise.resolve();
  }

  getMessage(conversationId: string, id: string): Promise<StoredMessage | undefined> {
    const value = this.#messages.get(`${conversationId}/${id}`);
    return Promise.resolve(value && structuredClone(value));
  }

  putMessage(message: StoredMessage): Promise<void> {
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
    return Promise.resolve();
  }
}
