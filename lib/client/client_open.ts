/**
 * Opening a stored conversation: read it, check it was made by this
 * version, and claim it for this page, so only the one client that opens it
 * may save the record from then on.
 *
 * @module
 */
import {
  type ClientStorage,
  OutdatedConversationError,
  PROTOCOL_VERSION,
  type StoredConversation,
  type StoredMessage,
  withMessageDefaults,
} from "./storage.ts";

/**
 * Loads and claims a stored conversation with its messages; throws if this
 * browser does not hold it, and an `OutdatedConversationError` for one made
 * by an older version.
 */
export async function loadStored(
  conversationId: string,
  storage: ClientStorage,
): Promise<{ conversation: StoredConversation; messages: StoredMessage[] }> {
  const stored = await storage.getConversation(conversationId);
  if (stored === undefined) {
    throw new Error(`Cannot open conversation "${conversationId}": not stored here`);
  }
  if (stored.protocol !== PROTOCOL_VERSION) {
    throw new OutdatedConversationError(conversationId);
  }
  // From here on only this instance may save the record: a tab that loses
  // the lock while work is under way can no longer write a ratchet state
  // another tab has read (which could make both seal with one key).
  const conversation = await storage.claimConversation(conversationId, crypto.randomUUID());
  if (conversation === undefined) {
    // Deleted (in another tab) between reading and claiming it.
    throw new Error(`Cannot open conversation "${conversationId}": not stored here`);
  }
  const messages = await storage.listMessages(conversationId);
  return {
    conversation: {
      ...conversation,
      timer: conversation.timer ?? 0,
      timerId: conversation.timerId ?? null,
    },
    messages: messages.map(withMessageDefaults),
  };
}
