/**
 * Delivery receipts: a received message is acknowledged with an encrypted
 * receipt, batched with those that follow it within a few milliseconds, a
 * hundred IDs to a frame, as the send budget allows. Typing, read and chunk
 * frames are acknowledged too, batched over up to a second: that is what
 * lets their sender keep sending (see `in_flight.ts`).
 *
 * @module
 */
import { MAX_RECEIPT_IDS } from "../crypto/payload_limits.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";

/** Receipts wait this long to be sent together with those of the next messages. */
const RECEIPT_DELAY_MS = 30;
/** Acknowledgements of typing, read and chunk frames wait up to this long. */
const PROGRESS_DELAY_MS = 1000;

/** Why a receipt is owed: kept messages first, then frames, then repeats. */
type Owed = "message" | "progress" | "again";
const ORDER: Record<Owed, number> = { message: 0, progress: 1, again: 2 };

/** The receipts one conversation owes the peer. */
export class Receipts {
  #state: ClientState;
  #connection: Connection;
  #courier: Courier;
  /** IDs whose receipt has not gone out yet, and why. */
  #pending = new Map<string, Owed>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = 0;

  constructor(state: ClientState, connection: Connection, courier: Courier) {
    this.#state = state;
    this.#connection = connection;
    this.#courier = courier;
  }

  /** Acknowledges a received message soon, together with those that follow it. */
  add(id: string): void {
    this.#owe(id, "message");
    this.#arm(RECEIPT_DELAY_MS);
  }

  /**
   * Acknowledges a typing, read or chunk frame within a second, or sooner
   * together with a message's receipt.
   */
  progress(id: string): void {
    this.#owe(id, "progress");
    this.#arm(PROGRESS_DELAY_MS);
  }

  /**
   * Acknowledges again a message that came again. Such a receipt says
   * nothing new and a relay can ask for it at will by replaying, so it is
   * dropped while the bound on frames in flight holds.
   */
  again(id: string): void {
    this.#owe(id, "again");
    this.#arm(RECEIPT_DELAY_MS);
  }

  /**
   * Sends the waiting receipts; those of frames only once they are due
   * (`progress`) or can go along with others. Reports false when the budget
   * stopped it while the peer is there, so the caller tries again soon;
   * offline, while no session can seal, or when the code that seals could
   * not be fetched, the next flush takes them.
   */
  async flush(options: { progress?: boolean } = {}): Promise<boolean> {
    while (this.#pending.size > 0) {
      const owed = [...this.#pending].sort((a, b) => ORDER[a[1]] - ORDER[b[1]]);
      if (owed[0][1] === "progress" && !options.progress) {
        this.#arm(PROGRESS_DELAY_MS);
        return true;
      }
      const batch = owed.slice(0, MAX_RECEIPT_IDS);
      const again = batch.every(([, why]) => why === "again");
      if (again && this.#courier.full) {
        for (const [id] of batch) this.#pending.delete(id);
        continue;
      }
      const sent = await this.#courier.sendEphemeral({
        v: 2,
        type: "receipt",
        id: this.#state.ulid(),
        ids: batch.map(([id]) => id),
        sentAt: Date.now(),
      }, { again });
      if (!sent) {
        return !this.#connection.peerReady || !this.#courier.canSeal || this.#courier.unloaded;
      }
      for (const [id] of batch) this.#pending.delete(id);
    }
    return true;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #owe(id: string, why: Owed): void {
    const before = this.#pending.get(id);
    if (before === undefined || ORDER[why] < ORDER[before]) this.#pending.set(id, why);
  }

  /** Flushes after `delay`, or sooner if a flush is already due sooner. */
  #arm(delay: number): void {
    const at = Date.now() + delay;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#state.serial(async () => {
        if (!await this.flush({ progress: true })) this.#arm(this.#connection.waitMs());
      });
    }, delay);
  }
}
