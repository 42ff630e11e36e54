import { encodeBase64Url } from "../crypto/encoding.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

/** The format name written into every export file. */
export const EXPORT_FORMAT = "the-anonymous/conversation-export";

/** An exported conversation: what was said and when, never keys or secrets. */
export interface ConversationExport {
  format: typeof EXPORT_FORMAT;
  /** 2: files are included (1 had texts only). */
  version: 2;
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
    /** Files only: what it is, and its bytes (standard base64) when this browser has them. */
    file?: ExportedFile;
  }[];
}

/** A file in an export. */
export interface ExportedFile {
  name: string;
  mime: string;
  size: number;
  /** base64url SHA-256 of the whole file, as announced. */
  sha256: string;
  /** The bytes in standard base64, or null when this browser does not have them. */
  data: string | null;
  /** Why `data` is null, in words. */
  missing?: string;
}

/**
 * Builds the unencrypted export of one conversation. Only the messages
 * people wrote, the files sent and received, and the dates go in: the
 * invite secret, keys, ratchet state, sealed envelopes and protocol messages
 * (such as the "hello") stay out. `files` holds the bytes of the files this
 * browser has, by message ID; a file without them says why.
 */
export function buildConversationExport(
  conversation: StoredConversation,
  messages: StoredMessage[],
  now: Date = new Date(),
  files: ReadonlyMap<string, Uint8Array> = new Map(),
): ConversationExport {
  return {
    format: EXPORT_FORMAT,
    version: 2,
    exportedAt: now.toISOString(),
    conversation: {
      id: conversation.id,
      role: conversation.role,
      createdAt: conversation.createdAt,
      expiresAt: conversation.expiresAt,
    },
    messages: messages.filter((m) =>
      (m.kind === "text" || m.kind === "file") && m.deleted === undefined
    ).map((m) => ({
      id: m.id,
      direction: m.direction,
      sentAt: new Date(m.sentAt).toISOString(),
      status: m.status,
      text: m.text,
      ...(m.kind === "file" && m.file !== null ? { file: exportedFile(m, files.get(m.id)) } : {}),
    })),
  };
}

function exportedFile(message: StoredMessage, bytes: Uint8Array | undefined): ExportedFile {
  const { name, mime, size, sha256 } = message.file!;
  if (bytes !== undefined) return { name, mime, size, sha256, data: toBase64(bytes) };
  const missing = message.status === "refused"
    ? "not accepted, so never kept"
    : message.status === "receiving"
    ? "had not fully arrived"
    : "not kept in this browser";
  return { name, mime, size, sha256, data: null, missing };
}

/** Standard base64 with padding, which most tools read. */
function toBase64(bytes: Uint8Array): string {
  const url = encodeBase64Url(bytes).replaceAll("-", "+").replaceAll("_", "/");
  return url + "=".repeat((4 - url.length % 4) % 4);
}

/** The IDs of the messages whose file bytes an export wants. */
export function exportedFileIds(messages: StoredMessage[]): string[] {
  return messages.filter((m) => m.kind === "file" && m.file !== null && m.status !== "refused")
    .map((m) => m.id);
}

/** The download file name: `conversation-<id>-<yyyy-mm-dd>.json`. */
export function exportFileName(conversationId: string, now: Date = new Date()): string {
  return `conversation-${conversationId}-${now.toISOString().slice(0, 10)}.json`;
}
