/**
 * The other person's keys: read the server's record of the conversation,
 * take a later end from it (an extension whose frame this browser missed),
 * check every participant in it (see `peer_check.ts`), pin the peer the
 * first time its bundle verifies, and, on the joiner's side, start the
 * handshake and queue the invisible hello that lets the creator answer.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { ConversationRecord, Participant } from "../protocol/conversation_record.ts";
import { AdmissionError, fetchConversation } from "./admission_http.ts";
import type { ClientState } from "./client_state.ts";
import { isLaterEnd } from "./extension_end.ts";
import { checkParticipant } from "./peer_check.ts";
import { channelCode } from "./channel_code.ts";
import { type StoredConversation, withMessageDefaults } from "./storage.ts";

/** What one read of the server's record found. */
type ReadOutcome =
  | { kind: "record"; record: ConversationRecord }
  | { kind: "gone" }
  | { kind: "failed"; error: unknown };

/** Pins and checks the peer of one conversation. */
export class PeerKeys {
  #baseUrl: string;
  #state: ClientState;
  #reading: Promise<ReadOutcome> | null = null;
  #next: Promise<ReadOutcome> | null = null;

  constructor(baseUrl: string, state: ClientState) {
    this.#baseUrl = baseUrl;
    this.#state = state;
  }

  /**
   * Reads the server's record and checks every participant in it. Reports
   * whether the server still has the conversation (false only on a 404;
   * unreachable counts as still there).
   */
  async refresh(): Promise<boolean> {
    return await this.#apply(await this.#read());
  }

  /**
   * Like {@linkcode refresh}, but the read happens outside the queue (one
   * read at a time, shared by every caller) and only its result is applied
   * in it: a server that is slow to answer, or a relay that asks for many
   * reads, never holds the changes that wait in the queue.
   */
  async refreshAside(): Promise<boolean> {
    const outcome = await this.#read();
    return await this.#state.serial(() => this.#apply(outcome));
  }

  /** Whether a read of the record is under way or waiting. */
  get busy(): boolean {
    return this.#reading !== null || this.#next !== null;
  }

  /** Resolves once no read of the record is under way or waiting. */
  async settled(): Promise<void> {
    while (this.#reading !== null || this.#next !== null) await (this.#next ?? this.#reading);
  }

  /**
   * One read at a time. A caller that comes while a read is under way gets
   * the one after it (which may see what that read started too early to
   * see); every other caller meanwhile shares that same next read.
   */
  #read(): Promise<ReadOutcome> {
    if (this.#reading !== null) {
      this.#next ??= this.#reading.then(() => {
        this.#next = null;
        return this.#read();
      });
      return this.#next;
    }
    this.#reading = fetchConversation(this.#baseUrl, this.#state.conversation.id)
      .then(
        (record): ReadOutcome => record === null ? { kind: "gone" } : { kind: "record", record },
        (error): ReadOutcome => ({ kind: "failed", error }),
      )
      .finally(() => this.#reading = null);
    return this.#reading;
  }

  async #apply(outcome: ReadOutcome): Promise<boolean> {
    const state = this.#state;
    if (outcome.kind === "failed") {
      // Unreachable is ordinary; a malformed record is the server misbehaving.
      const { error } = outcome;
      if (error instanceof AdmissionError && error.code === "rejected") {
        state.report("keys", t("chat.problem_record_invalid", { detail: error.message }));
      }
      return true;
    }
    if (outcome.kind === "gone") return false;
    const { record } = outcome;
    if (record.accessKey !== state.conversation.accessKey) {
      state.report("keys", t("chat.problem_access_key_changed"));
      return true;
    }
    // An extension whose `extended` frame this browser missed: the record has the new end.
    if (
      state.conversation.closed === null &&
      isLaterEnd(state.conversation.expiresAt, record.expiresAt)
    ) {
      await state.save({ ...state.conversation, expiresAt: record.expiresAt });
    }
    for (const participant of record.participants) await this.adopt(participant);
    return true;
  }

  /** Pins a newly verified peer; the joiner then starts the handshake and says hello. */
  async adopt(participant: Participant): Promise<void> {
    const state = this.#state;
    const check = await checkParticipant(state.conversation, participant);
    if (check.result === "refused") return state.report("keys", check.reason);
    if (check.result === "new") {
      let next: StoredConversation = { ...state.conversation, peer: check.peer };
      if (next.role === "joiner" && next.ratchet === null) {
        next = await (await channelCode()).startInitiator(next, check.peer);
      }
      await state.save(next);
    }
    // Also for a known peer: a crash may have come between pinning and this.
    const { conversation } = state;
    if (
      conversation.role === "joiner" && conversation.peer !== null &&
      !state.messages.some((m) => m.kind === "hello")
    ) {
      // The joiner speaks first, so the creator can answer at all.
      await state.append(withMessageDefaults({
        conversationId: conversation.id,
        id: state.ulid(),
        direction: "out",
        kind: "hello",
        text: "",
        sentAt: Date.now(),
        status: "pending",
        envelope: null,
      }));
    }
  }
}
