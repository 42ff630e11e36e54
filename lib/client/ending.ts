/**
 * The end of a conversation: burning it on request, and taking the relay's
 * word that it was deleted or expired.
 *
 * @module
 */
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";

/** How long a delete waits for the server to confirm. */
const DELETE_TIMEOUT_MS = 5000;

/** How one conversation ends. */
export class Ending {
  #state: ClientState;
  #connection: Connection;
  #closedWaiters: (() => void)[] = [];

  constructor(state: ClientState, connection: Connection) {
    this.#state = state;
    this.#connection = connection;
  }

  /** The relay said the conversation is over. */
  async onClosed(reason: "deleted" | "expired"): Promise<void> {
    const state = this.#state;
    await state.save({ ...state.conversation, closed: reason });
    for (const resolve of this.#closedWaiters.splice(0)) resolve();
    state.changed();
  }

  /**
   * Asks the server to burn the conversation and waits for its word.
   * Reports whether the server confirmed.
   */
  async requestDelete(): Promise<boolean> {
    const closed = new Promise<void>((resolve) => this.#closedWaiters.push(resolve));
    if (!this.#connection.requestDelete()) return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, DELETE_TIMEOUT_MS));
    await Promise.race([closed, timeout]);
    clearTimeout(timer);
    return this.#state.conversation.closed === "deleted";
  }
}
