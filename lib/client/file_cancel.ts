/**
 * Cancelling a file on its way, on either side. The person who cancels
 * marks the file cancelled by "me"; a receiver also throws away the chunks
 * it has and acknowledges the file, so its sender stops offering it. Then a
 * sealed {@linkcode CancelPayload} tells the other person, again at every
 * new connection until its receipt comes back. The other side honours a
 * cancel only for a file message of this conversation that is still on its
 * way, in either direction; anything else changes nothing. The sender stops
 * between two batches of chunks (see `file_transfer.ts`) and the receiver
 * refuses every chunk after it.
 *
 * @module
 */
import type { CancelPayload } from "../crypto/payload.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";
import type { Receipts } from "./receipts.ts";
import type { StoredMessage } from "./storage.ts";

/** The parts cancelling works with. */
export interface FileCancelParts {
  state: ClientState;
  connection: Connection;
  courier: Courier;
  receipts: Receipts;
  /** Lets go of the bytes in memory of an incoming file that stops arriving. */
  forget(fileId: string): void;
}

/** Whether this person may cancel `message` now: a file still on its way. */
export function canCancel(message: StoredMessage): boolean {
  if (message.kind !== "file" || message.file === null || message.file.cancelled) return false;
  return message.direction === "in"
    ? message.status === "receiving"
    : message.status === "pending" || message.status === "sent";
}

/**
 * Whether the other person may cancel `message`: as its receiver, a file of
 * this side's still without a receipt (or acknowledged because they
 * cancelled it); as its sender, a file still arriving here.
 */
export function peerCanCancel(message: StoredMessage): boolean {
  if (message.kind !== "file" || message.file === null || message.file.cancelled) return false;
  return message.direction === "in"
    ? message.status === "receiving"
    : message.status === "sent" || message.status === "delivered";
}

/** The cancels of one conversation, both ways. */
export class FileCancels {
  #parts: FileCancelParts;
  /** Frames of this side's cancels not yet acknowledged: frame ID → file ID. */
  #frames = new Map<string, string>();
  /** Files whose cancel went out at least once: telling again is bounded. */
  #toldBefore = new Set<string>();
  /** Files whose cancel went out on the current connection. */
  #toldNow = new Set<string>();
  #toldEpoch = -1;

  constructor(parts: FileCancelParts) {
    this.#parts = parts;
  }

  /**
   * Cancels a file this person sends or receives; false when it is no
   * longer on its way. Run it in the state queue.
   */
  async cancel(id: string): Promise<boolean> {
    const { state, receipts } = this.#parts;
    const message = state.find(id);
    if (message === undefined || !canCancel(message)) return false;
    // A file never announced has no one to tell.
    const told = message.direction === "out" && message.status === "pending";
    await state.update(message, { file: { ...message.file!, cancelled: "me", told } });
    if (message.direction === "in") {
      this.#parts.forget(id);
      await state.storage.deleteChunks(state.conversation.id, id);
      receipts.add(id);
    }
    await this.tell();
    return true;
  }

  /**
   * Sends the cancels the other person has not acknowledged yet, once per
   * connection (the outbox calls this at every flush). A cancel told again
   * counts against the bound on frames in flight (`in_flight.ts`): a relay
   * that flips the peer's presence cannot make this side seal without end.
   */
  async tell(): Promise<void> {
    const { state, connection, courier } = this.#parts;
    if (this.#toldEpoch !== connection.resendEpoch) {
      this.#toldNow.clear();
      this.#toldEpoch = connection.resendEpoch;
    }
    for (const message of state.messages) {
      const file = message.file;
      if (file?.cancelled !== "me" || file.told || this.#toldNow.has(message.id)) continue;
      const payload: CancelPayload = {
        v: 2,
        type: "cancel",
        id: state.ulid(),
        file: message.id,
        sentAt: Date.now(),
      };
      const again = this.#toldBefore.has(message.id);
      if (!await courier.sendEphemeral(payload, { again })) return;
      this.#toldBefore.add(message.id);
      this.#frames.set(payload.id, message.id);
      this.#toldNow.add(message.id);
    }
  }

  /** Notes the receipts for this side's cancels: those files are told. */
  async onReceipt(ids: readonly string[]): Promise<void> {
    const { state } = this.#parts;
    for (const id of ids) {
      const fileId = this.#frames.get(id);
      if (fileId === undefined) continue;
      this.#frames.delete(id);
      const message = state.find(fileId);
      if (message?.file == null || message.file.told) continue;
      await state.update(message, { file: { ...message.file, told: true } });
    }
  }

  /**
   * Honours the other person's cancel of a file still on its way; reports
   * whether it changed anything. Chunks already here are thrown away.
   */
  async receive(payload: CancelPayload): Promise<boolean> {
    const { state } = this.#parts;
    const message = state.find(payload.file);
    if (message === undefined || message.file === null) return false;
    if (message.file.cancelled === "me" && !message.file.told) {
      // Both cancelled: the other side has stopped already.
      await state.update(message, { file: { ...message.file, told: true } });
      return false;
    }
    if (!peerCanCancel(message)) return false;
    await state.update(message, { file: { ...message.file, cancelled: "peer", told: true } });
    if (message.direction === "in") {
      this.#parts.forget(message.id);
      await state.storage.deleteChunks(state.conversation.id, message.id);
    }
    return true;
  }
}
