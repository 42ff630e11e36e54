/**
 * The outbox: messages this browser wrote (texts, files, timer changes and
 * the hello). Each is stored as pending, sealed once, and its envelope sent
 * again whenever the peer may have missed it, until an encrypted receipt
 * says it arrived. A session reset is the one time a message is sealed
 * again: its envelope is cleared, and the new session seals it. The notice
 * of this side's reset carries the offer as its envelope, sent the same way.
 *
 * @module
 */
import type { Payload } from "../crypto/payload.ts";
import { actionPayloadOf } from "./action_state.ts";
import type { ClientState } from "./client_state.ts";
import type { Connection } from "./connection.ts";
import type { Courier } from "./courier.ts";
import type { LazyFileTransfer } from "./lazy_files.ts";
import type { Receipts } from "./receipts.ts";
import type { StoredMessage } from "./storage.ts";

/** The parts the outbox sends through. */
export interface OutboxParts {
  state: ClientState;
  connection: Connection;
  courier: Courier;
  receipts: Receipts;
  files: LazyFileTransfer;
}

/** The fields of a new outgoing message. */
export type OutgoingFields =
  & Pick<StoredMessage, "kind" | "text">
  & Partial<
    Pick<StoredMessage, "file" | "timer" | "replyTo" | "action" | "expiresIn" | "expiresAt">
  >;

/** Outgoing messages of one conversation. */
export class Outbox {
  #parts: OutboxParts;
  /** Message IDs sent since the peer last may have missed something. */
  #sentNow = new Set<string>();
  #sentEpoch = -1;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(parts: OutboxParts) {
    this.#parts = parts;
  }

  /** Stores a new outgoing message as pending and sends what can be sent. */
  async write(fields: OutgoingFields, id: string): Promise<StoredMessage> {
    const { state } = this.#parts;
    const sentAt = Date.now();
    const expiresIn = fields.kind === "timer" ? 0 : state.conversation.timer;
    const message: StoredMessage = {
      conversationId: state.conversation.id,
      id,
      direction: "out",
      sentAt,
      status: "pending",
      envelope: null,
      expiresIn,
      expiresAt: expiresIn > 0 ? sentAt + expiresIn * 1000 : null,
      file: null,
      timer: null,
      ...fields,
    };
    await state.serial(async () => {
      await state.append(message);
      state.changed();
      await this.flush();
    });
    return message;
  }

  /** Sends waiting receipts, then every outgoing message without one. */
  async flush(): Promise<void> {
    const { state, connection, courier, receipts, files } = this.#parts;
    if (!await receipts.flush()) this.#flushLater();
    if (!connection.peerReady || state.paused) return;
    if (this.#sentEpoch !== connection.resendEpoch) {
      this.#sentNow.clear();
      this.#sentEpoch = connection.resendEpoch;
    }
    for (const message of state.messages) {
      if (
        message.direction !== "out" || isSettled(message) || this.#sentNow.has(message.id) ||
        message.file?.cancelled !== undefined
      ) continue;
      let envelope = message.envelope;
      if (envelope === null) {
        // Until a session can seal, only a reset offer goes out.
        if (!courier.canSeal || message.kind === "reset" || message.kind === "call") continue;
        if (!await courier.ready()) return;
        // The advanced ratchet is saved first: after a crash the message is
        // sealed again under the next message key; a restored older state
        // is covered by the per-message salt.
        envelope = await courier.seal(payloadOf(message));
        await state.update(message, { envelope });
      }
      if (!connection.peerReady) return;
      if (!connection.take()) return this.#flushLater();
      connection.transmit(message.id, envelope);
      this.#sentNow.add(message.id);
      if (message.status === "pending") await state.update(message, { status: "sent" });
      if (message.kind === "file") {
        const socket = connection.socketNumber;
        files.sendChunks(message.id, socket).then((finished) => {
          // Stopped by a lost connection: the next flush starts it again.
          if (!finished) this.#sentNow.delete(message.id);
        });
      }
    }
    await files.cancels.tell();
  }

  /** Marks outgoing messages delivered or read, as the peer's receipt says. */
  async onReceipt(ids: string[], status: "delivered" | "read"): Promise<void> {
    const { state, files } = this.#parts;
    await files.cancels.onReceipt(ids);
    for (const id of ids) {
      const message = state.find(id);
      if (
        message === undefined || message.direction !== "out" || message.status === "read" ||
        message.status === "refused"
      ) {
        continue;
      }
      if (message.status !== status) await state.update(message, { status });
    }
  }

  /** Sends every unacknowledged message again at the next flush (a new session). */
  resendAll(): void {
    this.#sentNow.clear();
  }

  /** Cancels the flush waiting for budget. */
  stop(): void {
    clearTimeout(this.#flushTimer);
  }

  /** Runs {@linkcode flush} again when the send budget allows. */
  #flushLater(): void {
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#parts.state.serial(() => this.flush());
    }, this.#parts.connection.waitMs());
  }
}

/** The payload an outgoing message is sealed as. */
function payloadOf(message: StoredMessage): Payload {
  const { id, sentAt, expiresIn } = message;
  const action = actionPayloadOf(message);
  if (action !== null) return action;
  switch (message.kind) {
    case "call":
      throw new TypeError("Cannot seal a call notice: it stays in this browser");
    case "reset":
    case "action":
      throw new TypeError(`Cannot seal a ${message.kind} notice: it is not sealed as such`);
    case "hello":
      return { v: 2, type: "hello", id, sentAt };
    case "timer":
      return { v: 2, type: "timer", id, seconds: message.timer ?? 0, sentAt };
    case "file": {
      const { name, mime, size, sha256, chunks } = message.file!;
      return { v: 2, type: "file", id, name, mime, size, sha256, chunks, sentAt, expiresIn };
    }
    case "text":
      return { v: 2, type: "text", id, text: message.text, sentAt, expiresIn };
  }
}

/** Whether an outgoing message needs nothing more from this side: acknowledged or refused. */
export function isSettled(message: StoredMessage): boolean {
  return message.status === "delivered" || message.status === "read" ||
    message.status === "refused";
}
