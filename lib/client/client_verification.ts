/**
 * The safety number of a conversation and the mark that it was checked in
 * person. The number's code (`safety_number.ts`, 5200 hashes a side) is
 * fetched the first time the number is asked for: the chat page asks at
 * once only for a conversation marked verified, else once the page is idle
 * or the verification panel opens.
 *
 * @module
 */
import type { ClientState } from "./client_state.ts";

/** The safety number of one conversation, computed once. */
export class ClientVerification {
  #state: ClientState;
  #number: Promise<string> | null = null;

  constructor(state: ClientState) {
    this.#state = state;
  }

  /**
   * The 60-digit safety number of this conversation, or null before the
   * other person's keys are known. Computed once.
   */
  safetyNumber(): Promise<string> | null {
    const { peer, bundle, participantId } = this.#state.conversation;
    if (peer === null) return null;
    this.#number ??= import("../crypto/safety_number.ts").then(
      ({ safetyNumber, safetyNumberKey }) =>
        safetyNumber({
          ownKey: safetyNumberKey(bundle),
          ownId: participantId,
          peerKey: safetyNumberKey(peer.bundle),
          peerId: peer.id,
        }),
    ).catch((error) => {
      // A failed fetch is tried again at the next ask.
      this.#number = null;
      throw error;
    });
    return this.#number;
  }

  /** Marks the current safety number as checked in person, or clears the mark. */
  async setVerified(verified: boolean): Promise<void> {
    const number = verified ? await this.safetyNumber() : null;
    const state = this.#state;
    await state.serial(async () => {
      await state.save({ ...state.conversation, verified: number ?? null });
      state.changed();
    });
  }
}
