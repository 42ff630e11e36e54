/**
 * The other person's keys: read the server's record of the conversation,
 * check every participant in it (see `peer_check.ts`), pin the peer the
 * first time its bundle verifies, and, on the joiner's side, start the
 * handshake and queue the invisible hello that lets the creator answer.
 *
 * @module
 */
import type { Participant } from "../protocol/conversation_record.ts";
import { AdmissionError, fetchConversation } from "./admission.ts";
import type { ClientState } from "./client_state.ts";
import { checkParticipant } from "./peer_check.ts";
import { startInitiator } from "./secure_channel.ts";
import { type StoredConversation, withMessageDefaults } from "./storage.ts";

/** Pins and checks the peer of one conversation. */
export class PeerKeys {
  #baseUrl: string;
  #state: ClientState;

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
    const state = this.#state;
    let record;
    try {
      record = await fetchConversation(this.#baseUrl, state.conversation.id);
    } catch (error) {
      // Unreachable is ordinary; a malformed record is the server misbehaving.
      if (error instanceof AdmissionError && error.code === "rejected") {
        state.report(
          "keys",
          `The server's record of this conversation is invalid: ${error.message}`,
        );
      }
      return true;
    }
    if (record === null) return false;
    if (record.accessKey !== state.conversation.accessKey) {
      state.report("keys", "The server changed this conversation's access key");
      return true;
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
        next = await startInitiator(next, check.peer);
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
