/**
 * Delivery receipts: a received message is acknowledged with an encrypted
 * receipt, batched with those that follow it within a few milliseconds, a
 * hundred IDs to a frame, as the send budget allows.
 *
 * @module
 */
import { MAX_RECEIPT_IDS } from "../crypto/payload.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";

/** Receipts wait this long to be sent together with those of the next messages. */
const RECEIPT_DELAY_MS = 30;

/** The receipts one conversation owes the peer. */
export class Receipts {
  #state: ClientState;
  #connection: Connection;
  #courier: Courier;
  /** Received message IDs whose receipt has not gone out yet. */
  #pending = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(state: ClientState, connection: Connection, courier: Courier) {
    this.#state = state;
    this.#connection = connection;
    this.#courier = courier;
  }

  /** Acknowledges a received message soon, together with those that follow it. */
  add(id: string): void {
    this.#pending.add(id);
    this.#arm(RECEIPT_DELAY_MS);
  }

  /**
   * Sends the waiting receipts. Reports false when the budget stopped it
   * while the peer is there, so the caller tries again soon; offline, the
   * next flush takes them.
   */
  async flush(): Promise<boolean> {
    while (this.#pending.size > 0) {
      const ids = [...this.#pending].slice(0, MAX_RECEIPT_IDS);
      const sent = await this.#courier.sendEphemeral({
        v: 2,
        type: "receipt",
        id: this.#state.ulid(),
        ids,
        sentAt: Date.now(),
      });
      if (!sent) return !this.#connection.peerReady;
      for (const id of ids) this.#pending.delete(id);
    }
    return true;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #arm(delay: number): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#state.serial(async () => {
        if (!await this.flush()) this.#arm(this.#connection.waitMs());
      });
    }, delay);
  }
}
