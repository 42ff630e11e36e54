/**
 * What a browser keeps of a conversation, and the storage interface the
 * conversation client writes through. The browser uses IndexedDB
 * (`idb_storage.ts`); Deno tests use the in-memory one (`memory_storage.ts`).
 *
 * @module
 */
import type { Bundle } from "../crypto/bundle.ts";
import type { ReplayState } from "../crypto/replay.ts";

/** One conversation as this browser keeps it, keys included. */
export interface StoredConversation {
  id: string;
  /** The invite secret, base64url. It never leaves this browser. */
  secret: string;
  /** Whether this browser made the conversation or joined it. */
  role: "creator" | "joiner";
  participantId: string;
  /** Non-extractable identity keys; IndexedDB stores `CryptoKey` as is. */
  signing: CryptoKeyPair;
  dh: CryptoKeyPair;
  bundle: Bundle;
  /** The access public key derived here from the secret, base64url. */
  accessKey: string;
  /** The peer, pinned the first time its bundle verified. */
  peer: { id: string; bundle: Bundle } | null;
  /** The next send counter; saved before any ciphertext with it leaves. */
  sendCounter: number;
  /** Counters already accepted from the peer. */
  replay: ReplayState;
  createdAt: string;
  expiresAt: string;
  /** Set when the server said the conversation was deleted or expired. */
  closed: "deleted" | "expired" | null;
}

/** Delivery state of a message. */
export type MessageStatus = "pending" | "sent" | "delivered" | "received";

/** One message of the history. */
export interface StoredMessage {
  conversationId: string;
  /** The message ULID, shared by both sides; the receiver dedupes by it. */
  id: string;
  direction: "out" | "in";
  text: string;
  /** Sender's clock, milliseconds since the epoch. */
  sentAt: number;
  status: MessageStatus;
  /** Outgoing only: the envelope once encrypted, resent as is. */
  envelope: string | null;
}

/** Where the conversation client keeps its state. */
export interface ClientStorage {
  getConversation(id: string): Promise<StoredConversation | undefined>;
  putConversation(conversation: StoredConversation): Promise<void>;
  listConversations(): Promise<StoredConversation[]>;
  /** Removes a conversation and all of its messages. */
  deleteConversation(id: string): Promise<void>;
  getMessage(conversationId: string, id: string): Promise<StoredMessage | undefined>;
  putMessage(message: StoredMessage): Promise<void>;
  /** The messages of a conversation, oldest first (by ID). */
  listMessages(conversationId: string): Promise<StoredMessage[]>;
}
