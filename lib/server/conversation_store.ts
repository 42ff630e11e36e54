/**
 * The conversation store: one JSON file per conversation in the data
 * directory, holding exactly the contract record (ARCHITECTURE.md, "What the
 * server stores"). Files are written atomically: a temporary file in the same
 * directory, flushed to disk, then renamed over the old one. An in-memory
 * {@linkcode ExpirySchedule}, filled from the files at start, removes each
 * conversation at its `expiresAt` without re-reading the directory.
 *
 * @module
 */
import { ulid } from "ulid";
import type { AnyBundle } from "../crypto/bundle.ts";
import {
  type ConversationRecord,
  parseConversationRecord,
} from "../protocol/conversation_record.ts";
import type { AdmissionResponse } from "../protocol/server_frames.ts";
import { isUlid } from "../protocol/validate.ts";
import { ExpirySchedule } from "./expiry_schedule.ts";
import { extendedRecord } from "./extension.ts";
import { joinedRecord } from "./join_rule.ts";

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
}

const TEMP_SUFFIX = ".tmp";

/** Stores conversations as JSON files in one directory. */
export class FileConversationStore implements ConversationStore {
  #dir: string;
  #now: () => number;
  #onExpired: ((id: string) => void) | undefined;
  /** Per-conversation queue, so that concurrent joins see each other. */
  #locks = new Map<string, Promise<unknown>>();
  /** When each stored conversation expires: the only index of the directory. */
  #schedule: ExpirySchedule;
  /** Expired conversations whose removal failed, retried by the next sweep. */
  #retry = new Set<string>();

  constructor(dir: string, options: FileConversationStoreOptions = {}) {
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

  /** Stops the expiry timer. */
  close(): void {
    this.#schedule.close();
  }

  async create(
    input: { accessKey: string; bundle: AnyBundle; lifetime: number },
  ): Promise<AdmissionResponse> {
    const now = this.#now();
    const id = ulid(now);
    const participantId = ulid(now);
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
    await this.#write(conversation);
    this.#schedule.set(id, Date.parse(conversation.expiresAt));
    return { conversation, participantId };
  }

  get(id: string): Promise<ConversationRecord | null> {
    return this.#read(id);
  }

  async exists(id: string): Promise<boolean> {
    if (!isUlid(id)) return false;
    try {
      return (await Deno.stat(this.#path(id))).isFile;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }

  join(id: string, bundle: AnyBundle): Promise<AdmissionResponse> {
    return this.#locked(id, async () => {
      const joined = joinedRecord(await this.#read(id), id, bundle, this.#now());
      await this.#write(joined.conversation);
      return joined;
    });
  }

  extend(id: string, expiresAt: string, maxLifetime: number): Promise<ConversationRecord> {
    return this.#locked(id, async () => {
      const current = await this.#read(id);
      const conversation = extendedRecord(current, id, expiresAt, maxLifetime, this.#now());
      await this.#write(conversation);
      this.#schedule.set(id, Date.parse(conversation.expiresAt));
      return conversation;
    });
  }

  delete(id: string): Promise<boolean> {
    if (!isUlid(id)) return Promise.resolve(false);
    return this.#locked(id, async () => {
      try {
        await Deno.remove(this.#path(id));
        this.#schedule.delete(id);
        return true;
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) {
          this.#schedule.delete(id);
          return false;
        }
        throw error;
      }
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

  /** Reads a conversation; an expired one is removed and reads as null. */
  async #read(id: string): Promise<ConversationRecord | null> {
    if (!isUlid(id)) return null;
    let text: string;
    try {
      text = await Deno.readTextFile(this.#path(id));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
    let record: ConversationRecord;
    try {
      record = parseConversationRecord(JSON.parse(text));
    } catch {
      // Our writes are atomic, so only damage from outside makes this. The
      // file is left for the operator; the conversation reads as absent
      // rather than failing every request, or the start, with it.
      return null;
    }
    if (Date.parse(record.expiresAt) <= this.#now()) {
      this.#schedule.delete(id);
      await Deno.remove(this.#path(id)).catch(() => this.#retry.add(id));
      return null;
    }
    return record;
  }

  async #write(record: ConversationRecord): Promise<void> {
    const random = crypto.getRandomValues(new Uint8Array(8));
    const suffix = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
    const temp = `${this.#dir}/.${record.id}.${suffix}${TEMP_SUFFIX}`;
    const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    try {
      await file.write(new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n"));
      // Flush before the rename, so a crash leaves the old file or the new one,
      // never a truncated one.
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, this.#path(record.id));
    // Flush the directory too, so the rename itself survives a power cut
    // before the 201 goes out.
    await syncDirectory(this.#dir);
  }

  #path(id: string): string {
    // The ID is checked before any path is formed: no traversal can follow.
    if (!isUlid(id)) throw new TypeError(`Invalid conversation ID "${id}"`);
    return `${this.#dir}/${id}.json`;
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

/** Flushes a directory's entries to disk, where the platform allows it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Deno.FsFile | undefined;
  try {
    handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or flush a directory.
  } finally {
    handle?.close();
  }
}
