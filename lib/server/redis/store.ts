/**
 * The conversation store in Redis mode: one key per conversation holding
 * exactly the contract record the file store writes, created with an
 * absolute expiry (`SET … PXAT … NX`) so Redis removes it at `expiresAt`.
 * A join is a compare-and-set in a short Lua script: it writes only if the
 * record is still the one the join was decided on, so the two-participant
 * cap holds across instances under races. An extension is the same
 * compare-and-set, writing with `PXAT` so Redis removes the key at the new
 * end.
 *
 * @module
 */
import { ulid } from "ulid";
import type { AnyBundle } from "../../crypto/bundle.ts";
import {
  type ConversationRecord,
  parseConversationRecord,
} from "../../protocol/conversation_record.ts";
import type { AdmissionResponse } from "../../protocol/server_frames.ts";
import { isUlid } from "../../protocol/validate.ts";
import type { ConversationStore } from "../conversation_store.ts";
import { extendedRecord } from "../extension.ts";
import { joinedRecord } from "../join_rule.ts";
import { HttpError } from "../http_error.ts";
import { guarded, KEY_PREFIX, type RedisClient } from "./client.ts";

/** The key of a conversation's record. */
export function conversationKey(id: string): string {
  return `${KEY_PREFIX}conversation:${id}`;
}

/** Writes ARGV[2] over KEYS[1], keeping its expiry, only while it still holds ARGV[1]. */
const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1`;

/** Writes ARGV[2] over KEYS[1] expiring at ARGV[3] (ms), only while it still holds ARGV[1]. */
const COMPARE_AND_EXTEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
return 1`;

/** Compare-and-set rounds a join may lose to other writers before it gives up. */
const MAX_JOIN_ROUNDS = 50;

/** Stores conversations in Redis, one key each. */
export class RedisConversationStore implements ConversationStore {
  #redis: RedisClient;
  #now: () => number;

  constructor(redis: RedisClient, options: { now?: () => number } = {}) {
    this.#redis = redis;
    this.#now = options.now ?? Date.now;
  }

  async create(
    input: { accessKey: string; bundle: AnyBundle; lifetime: number },
  ): Promise<AdmissionResponse> {
    const now = this.#now();
    const id = ulid(now);
    const participantId = ulid(now);
    const timestamp = new Date(now).toISOString();
    const expiresAt = now + input.lifetime * 1000;
    const conversation: ConversationRecord = {
      version: 1,
      id,
      createdAt: timestamp,
      modifiedAt: timestamp,
      expiresAt: new Date(expiresAt).toISOString(),
      accessKey: input.accessKey,
      participants: [{ id: participantId, bundle: input.bundle }],
    };
    const written = await guarded(() =>
      this.#redis.sendCommand([
        "SET",
        conversationKey(id),
        JSON.stringify(conversation),
        "PXAT",
        String(expiresAt),
        "NX",
      ])
    );
    if (String(written) !== "OK") throw new Error(`Cannot create conversation "${id}": ID taken`);
    return { conversation, participantId };
  }

  async get(id: string): Promise<ConversationRecord | null> {
    return (await this.#read(id))?.record ?? null;
  }

  async exists(id: string): Promise<boolean> {
    if (!isUlid(id)) return false;
    return await guarded(() => this.#redis.exists(conversationKey(id))) === 1;
  }

  async join(id: string, bundle: AnyBundle): Promise<AdmissionResponse> {
    for (let round = 0; round < MAX_JOIN_ROUNDS; round++) {
      const current = await this.#read(id);
      const joined = joinedRecord(current?.record ?? null, id, bundle, this.#now());
      const swapped = await guarded(() =>
        this.#redis.eval(COMPARE_AND_SET, {
          keys: [conversationKey(id)],
          arguments: [current!.text, JSON.stringify(joined.conversation)],
        })
      );
      if (swapped === 1) return joined;
      // Another instance wrote first: decide again on what it wrote.
    }
    throw new HttpError(
      409,
      "conflict",
      `Cannot join conversation "${id}": too many concurrent changes, try again`,
    );
  }

  async extend(id: string, expiresAt: string, maxLifetime: number): Promise<ConversationRecord> {
    for (let round = 0; round < MAX_JOIN_ROUNDS; round++) {
      const current = await this.#read(id);
      const conversation = extendedRecord(
        current?.record ?? null,
        id,
        expiresAt,
        maxLifetime,
        this.#now(),
      );
      const swapped = await guarded(() =>
        this.#redis.eval(COMPARE_AND_EXTEND, {
          keys: [conversationKey(id)],
          arguments: [
            current!.text,
            JSON.stringify(conversation),
            String(Date.parse(conversation.expiresAt)),
          ],
        })
      );
      if (swapped === 1) return conversation;
    }
    throw new HttpError(
      409,
      "conflict",
      `Cannot extend conversation "${id}": too many concurrent changes, try again`,
    );
  }

  async delete(id: string): Promise<boolean> {
    if (!isUlid(id)) return false;
    return await guarded(() => this.#redis.del(conversationKey(id))) === 1;
  }

  /** Redis removes each key at its `expiresAt` itself: nothing to sweep. */
  sweepExpired(): Promise<string[]> {
    return Promise.resolve([]);
  }

  /** The connection belongs to the server, which closes it. */
  close(): void {}

  /** The record and its stored text, or null when absent, damaged or expired. */
  async #read(id: string): Promise<{ record: ConversationRecord; text: string } | null> {
    if (!isUlid(id)) return null;
    const text = await guarded(() => this.#redis.get(conversationKey(id)));
    if (typeof text !== "string") return null;
    let record: ConversationRecord;
    try {
      record = parseConversationRecord(JSON.parse(text));
    } catch {
      return null;
    }
    if (Date.parse(record.expiresAt) <= this.#now()) return null;
    return { record, text };
  }
}
