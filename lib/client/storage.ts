/**
 * What a browser keeps of a conversation, and the storage interface the
 * conversation client writes through. The browser uses IndexedDB
 * (`idb_storage.ts`); Deno tests use the in-memory one (`memory_storage.ts`).
 *
 * @module
 */
import type { Bundle } from "../crypto/bundle_format.ts";
import type { EnvelopeHandshake } from "../crypto/envelope.ts";
import type { KemBackend, KemKeyPair } from "../crypto/kem.ts";
import type { RefusalReason } from "../crypto/refusal.ts";
import type { X25519KeyPair } from "../crypto/x25519.ts";
import type { MessageActionFields } from "./action_state.ts";
import type { FileInfo } from "./file_info.ts";
import type { FlightCount } from "./in_flight.ts";

/**
 * The protocol version this code speaks; older records are only shown as
 * such. 3: envelope version 3, whose header carries each message's salt.
 */
export const PROTOCOL_VERSION = 3;

/** One conversation as this browser keeps it, keys included. */
export interface StoredConversation {
  /**
   * {@linkcode PROTOCOL_VERSION} for every conversation this code makes; a
   * lower number (2) or none on records of older versions.
   */
  protocol: typeof PROTOCOL_VERSION;
  id: string;
  /**
   * The invite secret, base64url. It never leaves this browser, and is
   * deleted (null) once the handshake is complete: after that nothing needs it.
   */
  secret: string | null;
  /** Whether this browser made the conversation or joined it. */
  role: "creator" | "joiner";
  participantId: string;
  /** Non-extractable identity keys; IndexedDB stores `CryptoKey` as is. */
  signing: CryptoKeyPair;
  dh: CryptoKeyPair;
  bundle: Bundle;
  /** The access public key derived here from the secret, base64url. */
  accessKey: string;
  /**
   * The invite fingerprint of the creator's identity keys, base64url: the
   * creator's own, or the one the joiner's link named, which the creator's
   * bundle must match before it is pinned. Every record of this protocol
   * has it; older ones open as outdated.
   */
  inviteFingerprint: string;
  /** The peer, pinned the first time its bundle verified. */
  peer: { id: string; bundle: Bundle } | null;
  /**
   * Creator only: the private halves of the signed prekeys, deleted as soon
   * as the handshake completes.
   */
  prekeys: { spkPrivate: Uint8Array; pq: Pick<KemKeyPair, "backend" | "privateKey"> } | null;
  /**
   * The handshake every message carries until the other side answers: the
   * joiner's, or the one this side made in answer to a reset offer.
   */
  handshake: EnvelopeHandshake | null;
  /**
   * Which session this is: 0 for the one the invite started, then the
   * generation of the reset that started it (`session_reset.ts`); it only
   * grows. Absent: 0.
   */
  generation?: number;
  /**
   * This side's own reset offer while it waits for the answer: its
   * generation, the ID of its notice in the history, the body sent, and the
   * prekeys' private halves (deleted once the answer opens). Absent: none.
   */
  reset?: PendingReset | null;
  /** The Double Ratchet state, sealed under `wrappingKey`; null before the handshake. */
  ratchet: Uint8Array | null;
  /** Non-extractable AES-GCM key that seals the ratchet state at rest. */
  wrappingKey: CryptoKey;
  /** Which ML-KEM implementation this browser uses. */
  kemBackend: KemBackend;
  /** The safety number the user marked as verified, if any. */
  verified: string | null;
  /** Disappearing messages: seconds a new message lives (0 keeps it). */
  timer: number;
  /** The ULID of the timer message that set `timer`; the later one wins. */
  timerId: string | null;
  /**
   * Typing, read and chunk frames (and repeated receipts) sealed in this
   * session, and how many of them the peer has acknowledged; saved with the
   * ratchet, so a reload does not reset the bound on frames in flight
   * (`in_flight.ts`). Absent on older records: none.
   */
  flight?: FlightCount;
  /** Incoming messages that disappeared here: their IDs and hashes only. */
  gone?: { id: string; bodyHash: string; payloadHash?: string }[];
  /** The client instance (tab) that may write this record, set when it opens it. */
  writer?: string;
  createdAt: string;
  expiresAt: string;
  /**
   * How the conversation ended: "deleted" by the other person (their sealed
   * notice said so), "expired" by this browser's clock, or "ended" when the
   * server no longer has it for another reason; null while it goes on.
   */
  closed: "deleted" | "expired" | "ended" | null;
}

/** A reset offer of this side that the peer has not answered yet. */
export interface PendingReset {
  generation: number;
  /** The ID of the outgoing "reset" notice that carries the offer. */
  id: string;
  /** The offer's relay body, base64url. */
  body: string;
  /** The X25519 prekey, both halves (its public half starts the ratchet). */
  spk: X25519KeyPair;
  pq: Pick<KemKeyPair, "backend" | "privateKey">;
}

/**
 * State of a message: outgoing ones go pending → sent → delivered (→ read);
 * incoming ones are receiving (files) → received → read, or refused (a file
 * this browser did not accept); an outgoing file the other person did not
 * accept is refused too.
 */
export type MessageStatus =
  | "pending"
  | "sent"
  | "delivered"
  | "read"
  | "receiving"
  | "received"
  | "refused";

/** One message of the history; replies, reactions, edits and deletes add the optional fields of `action_state.ts`. */
export interface StoredMessage extends MessageActionFields {
  conversationId: string;
  /** The message ULID, shared by both sides; the receiver dedupes by it. */
  id: string;
  direction: "out" | "in";
  /**
   * A "hello" opens the session and is never shown; "timer" is a notice, and
   * so is "reset": a session reset, whose outgoing notice carries the offer.
   * An "action" (a reaction, edit or delete) is never shown: it changes the
   * message it names. A "call" notice (a missed or declined call) is kept in
   * this browser only.
   */
  kind: "text" | "hello" | "file" | "timer" | "reset" | "action" | "call";
  text: string;
  /** Sender's clock, milliseconds since the epoch. */
  sentAt: number;
  status: MessageStatus;
  /** Outgoing only: the envelope once encrypted, resent as is (never re-encrypted). */
  envelope: string | null;
  /** Seconds the message lives, agreed when it was written; 0 keeps it. */
  expiresIn: number;
  /** When this browser deletes it (milliseconds since the epoch), or null. */
  expiresAt: number | null;
  /** For files: what was announced, and how much arrived. */
  file: FileInfo | null;
  /** For timer notices: the seconds that were set. */
  timer: number | null;
  /** Incoming only: SHA-256 of the envelope, so a resend is told from a substitute. */
  bodyHash?: string;
  /**
   * Incoming only: SHA-256 of the payload, so a message sealed again after
   * a session reset is told from another message under its ID.
   */
  payloadHash?: string;
  /** Files only, with status "refused": why (`file_refusal.ts`). Absent: above the file limit. */
  refusal?: RefusalReason;
}

/** A write by a client whose conversation another tab has since taken over. */
export class StaleWriterError extends Error {
  constructor(id: string) {
    super(`Cannot save conversation "${id}": another tab has taken it over`);
    this.name = "StaleWriterError";
  }
}

/**
 * A write for a conversation this browser no longer keeps (deleted, in
 * Settings or another tab, while a client still had it open). Storage
 * checks in the write's own transaction that the conversation record exists,
 * so nothing of a deleted conversation is written back; a client that meets
 * this error stops.
 */
export class ConversationGoneError extends Error {
  constructor(id: string) {
    super(`Cannot save to conversation "${id}": it was deleted from this browser`);
    this.name = "ConversationGoneError";
  }
}

/** Where the conversation client keeps its state. */
export interface ClientStorage {
  getConversation(id: string): Promise<StoredConversation | undefined>;
  /**
   * Saves a conversation. With `writer`, only if the stored record still
   * names that writer (checked and written in one transaction); otherwise
   * throws `StaleWriterError`, or `ConversationGoneError` when the record was
   * deleted (a stale client never re-creates it). `relaxed` lets the write
   * skip the flush to disk, for a state that only opened a frame (see
   * `ClientState.save`).
   */
  putConversation(
    conversation: StoredConversation,
    options?: { writer?: string; relaxed?: boolean },
  ): Promise<void>;
  /**
   * Makes `writer` the only one allowed to save the conversation, and
   * returns the record as it stands after every earlier write.
   */
  claimConversation(id: string, writer: string): Promise<StoredConversation | undefined>;
  listConversations(): Promise<StoredConversation[]>;
  /** Removes a conversation and all of its messages. */
  deleteConversation(id: string): Promise<void>;
  getMessage(conversationId: string, id: string): Promise<StoredMessage | undefined>;
  /**
   * Saves a message. This and the other writes of a conversation's rows
   * (`putFile`, `putChunk`) throw `ConversationGoneError`, and write nothing,
   * unless its record exists (checked in the same transaction).
   */
  putMessage(message: StoredMessage): Promise<void>;
  /** The messages of a conversation, oldest first (by ID). */
  listMessages(conversationId: string): Promise<StoredMessage[]>;
  /** Removes one message with its file data. */
  deleteMessage(conversationId: string, id: string): Promise<void>;
  /** Keeps the bytes of a file message (sent or fully received). */
  putFile(conversationId: string, id: string, blob: Blob): Promise<void>;
  getFile(conversationId: string, id: string): Promise<Blob | undefined>;
  /** Keeps one received chunk; reports whether it was new. */
  putChunk(
    conversationId: string,
    fileId: string,
    index: number,
    data: Uint8Array,
  ): Promise<boolean>;
  /** The chunks of a file, by index. */
  getChunks(conversationId: string, fileId: string): Promise<Uint8Array[]>;
  countChunks(conversationId: string, fileId: string): Promise<number>;
  deleteChunks(conversationId: string, fileId: string): Promise<void>;
}

/**
 * Upkeep of everything this browser keeps, for the settings page. Separate
 * from {@linkcode ClientStorage} so other storages need not implement it.
 */
export interface StorageMaintenance {
  /** Roughly how many bytes a conversation and its messages take. */
  measureConversation(id: string): Promise<number>;
  /** Removes every conversation and every message. */
  clearAll(): Promise<void>;
  /**
   * Removes messages, files and chunks whose conversation record no longer
   * exists (left by a version that wrote without checking); every write now
   * checks, so these can only be older leftovers.
   */
  sweepOrphans(): Promise<void>;
}

/** Fills the fields that messages stored by earlier versions lack. */
export function withMessageDefaults(
  message:
    & Omit<StoredMessage, "expiresIn" | "expiresAt" | "file" | "timer">
    & Partial<StoredMessage>,
): StoredMessage {
  return { expiresIn: 0, expiresAt: null, file: null, timer: null, ...message };
}

/** A conversation stored by an older version, whose protocol this code no longer speaks. */
export class OutdatedConversationError extends Error {
  constructor(conversationId: string) {
    super(`Cannot open conversation "${conversationId}": made with an older version`);
    this.name = "OutdatedConversationError";
  }
}
