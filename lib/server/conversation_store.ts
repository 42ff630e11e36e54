/**
 * The conversation store: one JSON file per conversation in the data
 * directory, holding exactly the contract record (ARCHITECTURE.md, "What the
 * server stores"). Files are written atomically and flushed before a create
 * or join is answered (`record_files.ts`). An in-memory
 * {@linkcode ExpirySchedule}, filled from the files at start, removes each
 * conversation at its `expiresAt` without re-reading the directory, and a
 * conversation still waiting for its joiner is kept in memory with the
 * identity of the file this store wrote for it (inode, size, modification
 * time), so a join reads no file: it asks only for the file's metadata, and
 * a file removed, replaced or rewritten from outside is still seen.
 *
 * @module
 */
import { newUlid } from "./new_id.ts";
import type { AnyBundle } from "../crypto/bundle.ts";
import {
  type ConversationRecord,
  parseConversationRecord,
} from "../protocol/conversation_record.ts";
import type { AdmissionResponse } from "../protocol/server_frames.ts";
import { isUlid } from "../protocol/validate.ts";
import { recordJson } from "./admission_json.ts";
import { ExpirySchedule } from "./expiry_schedule.ts";
import { extendedRecord } from "./extension.ts";
import { joinedRecord } from "./join_rule.ts";
import { HeldRecords } from "./held_records.ts";
import { type FileIdentity, RecordFiles, TEMP_SUFFIX } from "./record_files.ts";

/** What a conversation store does; a Redis store can sit beside this one. */
export interface ConversationStore {
  /** Makes a conversation whose first participant holds `bundle`. */
  create(
    input: { accessKey: string; bundle: AnyBundle; lifetime: number },
  ): Promise<AdmissionResponse>;
  /** The conversation, or null when it is unknown or expired. */
  get(id: string): Promise<ConversationRecord | null>;
  /** Whether the conversation is still stored, expired or not; reads nothing. */
  exists(id: string): Promise<boolean>;
  /** Admits a participant; throws `HttpError` 404 or 409. */
  join(id: string, bundle: AnyBundle): Promise<AdmissionResponse>;
  /** Removes a conversation; reports whether it existed. */
  delete(id: string): Promise<boolean>;
  /**
   * Moves a conversation's end to the later `expiresAt`, at most
   * `maxLifetime` seconds after its creation; throws `HttpError` 404, 409 or
   * 422 and changes nothing when it cannot (see `extension.ts`).
   */
  extend(id: string, expiresAt: string, maxLifetime: number): Promise<ConversationRecord>;
  /** Removes every expired conversation and returns their IDs. */
  sweepExpired(): Promise<string[]>;
  /** Stops the store's timers, for shutdown. */
  close(): void;
}

/** Options of {@linkcode FileConversationStore}. */
export interface FileConversationStoreOptions {
  /** The clock, in ms since the epoch; `Date.now` by default. */
  now?: () => number;
  /** Called for each conversation the store removed because it expired. */
  onExpired?: (id: string) => void;
  /** The files of `dir`; tests pass one whose reads they can hold back. */
  files?: RecordFiles;
}

/** Stores conversations as JSON files in one directory. */
export class FileConversationStore implements ConversationStore {
  #dir: string;
  #files: RecordFiles;
  #now: () => number;
  #onExpired: ((id: string) => void) | undefined;
  /** Per-conversation queue, so that concurrent joins see each other. */
  #locks = new Map<string, Promise<unknown>>();
  /** When each stored conversation expires: the only index of the directory. */
  #schedule: ExpirySchedule;
  /** Expired conversations whose removal failed, retried by the next sweep. */
  #retry = new Set<string>();
  /** The records of conversations waiting for a participant (`held_records.ts`). */
  #held: HeldRecords;
  /**
   * Counts writes and removals, so a read that raced one never replaces the
   * newer record in memory with the older text it read.
   */
  #changes = 0;

  constructor(dir: string, options: FileConversationStoreOptions = {}) {
    this.#files = options.files ?? new RecordFiles(dir);
    this.#held = new HeldRecords((id) => this.#files.identity(id));
    this.#dir = dir;
    this.#now = options.now ?? Date.now;
    this.#onExpired = options.onExpired;
    this.#schedule = new ExpirySchedule(
      // A failure is kept for the next sweep, which reports it.
      (ids) => this.#removeExpired(ids).catch(() => {}),
      { now: this.#now },
    );
  }

  /**
   * Prepares the directory: creates it, removes temporary files a crash left
   * behind and expired conversations, and schedules the expiry of the rest.
   * This is the one time every file is read.
   */
  async open(): Promise<void> {
    await Deno.mkdir(this.#dir, { recursive: true });
    for await (const entry of Deno.readDir(this.#dir)) {
      if (!entry.isFile) continue;
      if (entry.name.endsWith(TEMP_SUFFIX)) {
        await Deno.remove(`${this.#dir}/${entry.name}`).catch(() => {});
        continue;
      }
      const id = entry.name.slice(0, -".json".length);
      if (!entry.name.endsWith(".json") || !isUlid(id)) continue;
      // #read removes the file when it has expired; a damaged file stays.
      const record = await this.#read(id);
      if (record !== null) this.#schedule.set(id, Date.parse(record.expiresAt));
    }
  }

  /** Stops the expiry timer and closes the directory. */
  close(): void {
    this.#schedule.close();
    this.#files.close();
    this.#held.clear();
  }

  async create(
    input: { accessKey: string; bundle: AnyBundle; lifetime: number },
  ): Promise<AdmissionResponse> {
    const now = this.#now();
    const id = newUlid(now);
    const participantId = newUlid(now);
    const timestamp = new Date(now).toISOString();
    const conversation: ConversationRecord = {
      version: 1,
      id,
      createdAt: timestamp,
      modifiedAt: timestamp,
      expiresAt: new Date(now + input.lifetime * 1000).toISOString(),
      accessKey: input.accessKey,
      participants: [{ id: participantId, bundle: input.bundle }],
    };
    const identity = await this.#write(conversation);
    this.#schedule.set(id, Date.parse(conversation.expiresAt));
    this.#held.hold(conversation, identity);
    return { conversation, participantId };
  }

  get(id: string): Promise<ConversationRecord | null> {
    return this.#read(id);
  }

  async exists(id: string): Promise<boolean> {
    if (!isUlid(id)) return false;
    try {
      return (await Deno.stat(this.#files.path(id))).isFile;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }

  join(id: string, bundle: AnyBundle): Promise<AdmissionResponse> {
    return this.#locked(id, async () => {
      // The record as this store last wrote or read it: the join route read
      // the file just before, so a change from outside is still seen.
      const joined = joinedRecord(await this.#read(id, true), id, bundle, this.#now());
      this.#held.hold(joined.conversation, await this.#write(joined.conversation));
      return joined;
    });
  }

  extend(id: string, expiresAt: string, maxLifetime: number): Promise<ConversationRecord> {
    return this.#locked(id, async () => {
      const current = await this.#read(id);
      const conversation = extendedRecord(current, id, expiresAt, maxLifetime, this.#now());
      const identity = await this.#write(conversation);
      this.#schedule.set(id, Date.parse(conversation.expiresAt));
      this.#held.hold(conversation, identity);
      return conversation;
    });
  }

  delete(id: string): Promise<boolean> {
    if (!isUlid(id)) return Promise.resolve(false);
    return this.#locked(id, async () => {
      this.#held.forget(id);
      const removed = await this.#changing(this.#files.remove(id));
      this.#schedule.delete(id);
      return removed;
    });
  }

  /** Removes what the schedule says has expired; reads no file. */
  sweepExpired(): Promise<string[]> {
    const ids = [...this.#retry, ...this.#schedule.takeDue()];
    this.#retry.clear();
    return this.#removeExpired(ids);
  }

  /**
   * Removes expired conversations and reports each one removed. A failed
   * removal is kept for the next sweep and the first failure rethrown.
   */
  async #removeExpired(ids: string[]): Promise<string[]> {
    const removed: string[] = [];
    let failure: unknown;
    for (const id of ids) {
      try {
        if (!await this.delete(id)) continue;
        removed.push(id);
        this.#onExpired?.(id);
      } catch (error) {
        this.#retry.add(id);
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
    return removed;
  }

  /**
   * Reads a conversation's file, or its record in memory when there is one
   * and the file is still the one this store wrote for it (or, with `held`,
   * whatever the file); an expired one is removed and reads as null.
   */
  async #read(id: string, held = false): Promise<ConversationRecord | null> {
    if (!isUlid(id)) return null;
    let record = this.#held.get(id, held);
    if (record === undefined) {
      const changes = this.#changes;
      const text = await this.#files.read(id);
      // Removed or damaged from outside: no copy in memory outlives the file.
      this.#held.forget(id);
      if (text === null) return null;
      try {
        record = parseConversationRecord(JSON.parse(text));
      } catch {
        // Our writes are atomic, so only damage from outside makes this. The
        // file is left for the operator; the conversation reads as absent
        // rather than failing every request, or the start, with it.
        return null;
      }
      if (this.#changes === changes) this.#held.hold(record, null);
    }
    if (Date.parse(record.expiresAt) <= this.#now()) {
      this.#schedule.delete(id);
      this.#held.forget(id);
      const removed = await this.#changing(this.#files.remove(id)).catch(() => {
        this.#retry.add(id);
        return false;
      });
      // Reported like the schedule's removals, once: by whichever removed the file.
      if (removed) this.#onExpired?.(id);
      return null;
    }
    return record;
  }

  #write(record: ConversationRecord): Promise<FileIdentity | null> {
    // The ID is checked before any path is formed: no traversal can follow.
    if (!isUlid(record.id)) throw new TypeError(`Invalid conversation ID "${record.id}"`);
    return this.#changing(this.#files.write(record.id, recordJson(record) + "\n"));
  }

  /** Counts a change to the files as it starts and as it ends. */
  async #changing<T>(change: Promise<T>): Promise<T> {
    this.#changes++;
    try {
      return await change;
    } finally {
      this.#changes++;
    }
  }

  async #locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    this.#locks.set(id, next);
    try {
      return await next;
    } finally {
      if (this.#locks.get(id) === next) this.#locks.delete(id);
    }
  }
}
