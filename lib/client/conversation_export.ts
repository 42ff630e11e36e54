import type { StoredConversation, StoredMessage } from "./storage.ts";

/** The format name written into every export file. */
export const EXPORT_FORMAT = "the-anonymous/conversation-export";

/** An exported conversation: what was said and when, never keys or secrets. */
export interface ConversationExport {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  conversation: {
    id: string;
    role: StoredConversation["role"];
    createdAt: string;
    expiresAt: string;
  };
  messages: {
    id: string;
    direction: StoredMessage["direction"];
    sentAt: string;
    status: StoredMessage["status"];
    text: string;
  }[];
}

/**
 * Builds the unencrypted export of one conversation. Only the messages
 * people wrote and the dates go in: the invite secret, keys, ratchet state,
 * sealed envelopes and protocol messages (such as the "hello") stay out.
 */
export function buildConversationExport(
  conversation: StoredConversation,
  messages: StoredMessage[],
  now: Date = new Date(),
): ConversationExport {
  return {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: now.toISOString(),
    conversation: {
      id: conversation.id,
      role: conversation.role,
      createdAt: conversation.createdAt,
      expiresAt: conversation.expiresAt,
    },
    messages: messages.filter((m) => m.kind === "text" && m.deleted === undefined).map((m) => ({
      id: m.id,
      direction: m.direction,
      sentAt: new Date(m.sentAt).toISOString(),
      status: m.status,
      text: m.text,
    })),
  };
}

/** The download file name: `conversation-<id>-<yyyy-mm-dd>.json`. */
export function exportFileName(conversationId: string, now: Date = new Date()): string {
  return `conversation-${conversationId}-${now.toISOString().slice(0, 10)}.json`;
}
