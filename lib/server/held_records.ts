/**
 * The records of conversations still waiting for a participant, kept in
 * memory by the file store so a join does not read and parse the file a
 * second time. Each is kept with the identity of the file the store wrote
 * for it (inode, size, modification time): the record stands for the file
 * only while the file still has that identity. Oldest first, bounded by
 * {@linkcode MAX_HELD}; a full conversation is never kept.
 *
 * @module
 */
import { type ConversationRecord, MAX_PARTICIPANTS } from "../protocol/conversation_record.ts";
import type { FileIdentity } from "./record_files.ts";

/** Most conversations kept in memory while they wait for their joiner. */
export const MAX_HELD = 1024;

/** A record kept in memory, with the identity of its file when the store wrote it. */
interface Held {
  record: ConversationRecord;
  /** Null when the record came from a read, or the platform has no inodes. */
  identity: FileIdentity | null;
}

/** The waiting conversations' records in memory. */
export class HeldRecords {
  #held = new Map<string, Held>();
  #identityOf: (id: string) => FileIdentity | null;

  /** `identityOf`: the current identity of a conversation's file (a metadata lookup). */
  constructor(identityOf: (id: string) => FileIdentity | null) {
    this.#identityOf = identityOf;
  }

  /**
   * The record in memory when it may stand for the file: with `trusted`
   * always, otherwise only while the file's identity is still the one the
   * store wrote (no read and no parse).
   */
  get(id: string, trusted: boolean): ConversationRecord | undefined {
    const held = this.#held.get(id);
    if (held === undefined) return undefined;
    if (trusted) return held.record;
    if (held.identity === null || this.#identityOf(id) !== held.identity) return undefined;
    return held.record;
  }

  /** Keeps a record while it waits for a participant; forgets it once full. */
  hold(record: ConversationRecord, identity: FileIdentity | null): void {
    this.#held.delete(record.id);
    if (record.participants.length >= MAX_PARTICIPANTS) return;
    this.#held.set(record.id, { record, identity });
    if (this.#held.size > MAX_HELD) this.#held.delete(this.#held.keys().next().value!);
  }

  /** Forgets a conversation's record (its file was removed or could not be read). */
  forget(id: string): void {
    this.#held.delete(id);
  }

  /** Forgets every record. */
  clear(): void {
    this.#held.clear();
  }
}
