/**
 * The inbox: every `message` frame from the relay. It refuses what is not
 * from the peer, tells a resend from a substitute, opens the body, and hands
 * what it holds on: a chunk to file transfer, a receipt to the outbox,
 * typing and reads to signals; texts, files and timer notices it stores
 * before the ratchet moves on, then acknowledges them.
 *
 * @module
 */
import { encodeBase64Url } from "../crypto/encoding.ts";
import type { FilePayload, Payload } from "../crypto/payload.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import type { ClientState } from "./client_state.ts";
import type { Courier } from "./courier.ts";
import type { Ending } from "./ending.ts";
import type { FileTransfer } from "./file_transfer.ts";
import type { Outbox } from "./outbox.ts";
import type { PeerKeys } from "./peer_keys.ts";
import type { Receipts } from "./receipts.ts";
import { ChannelError, openBody } from "./secure_channel.ts";
import type { ClientPreferences, Signals } from "./signals.ts";
import { type StoredMessage, withMessageDefaults } from "./storage.ts";

/** The parts the inbox hands received payloads to. */
export interface InboxParts {
  state: ClientState;
  peers: PeerKeys;
  courier: Courier;
  receipts: Receipts;
  outbox: Outbox;
  files: FileTransfer;
  signals: Signals;
  ending: Ending;
  preferences: () => ClientPreferences;
}

type StoredPayload = Exclude<Payload, { type: "chunk" | "receipt" | "read" | "typing" | "end" }>;

/** Incoming messages of one conversation. */
export class Inbox {
  #parts: InboxParts;

  constructor(parts: InboxParts) {
    this.#parts = parts;
  }

  /** Takes one relayed message; every refusal becomes a visible problem. */
  async receive(frame: Extract<ServerFrame, { type: "message" }>): Promise<void> {
    const { state, peers, courier, receipts, outbox, files, signals, ending } = this.#parts;
    // A message can arrive before `joined` was seen, after a reconnect.
    if (state.conversation.peer === null) await peers.refresh();
    const peer = state.conversation.peer;
    if (peer === null || frame.from !== peer.id) {
      return state.report("message", "A message came from someone who is not the other person");
    }
    const bodyHash = await hashBody(frame.body);
    if (!this.#isNew(frame.id, bodyHash)) return;
    let opened;
    try {
      opened = await openBody(state.conversation, frame.body);
    } catch (error) {
      return state.report(
        "message",
        error instanceof ChannelError
          ? error.message
          : "A message failed verification and was discarded",
      );
    }
    const { payload } = opened;
    if (payload.id !== frame.id) {
      return state.report("message", "A message arrived under another message's ID; rejected");
    }
    if (payload.type === "chunk") {
      const kept = await files.store(payload);
      await state.save(opened.conversation);
      // Acknowledged kept or not: it tells the sender the frame arrived.
      receipts.progress(frame.id);
      if (kept) await files.count(payload.file);
    } else if (payload.type === "receipt" || payload.type === "read") {
      await state.save(courier.acknowledged(opened.conversation, payload.ids));
      if (payload.type === "read") receipts.progress(frame.id);
      // Read receipts count only while this person shares theirs too.
      if (payload.type === "receipt" || this.#parts.preferences().readReceipts) {
        await outbox.onReceipt(payload.ids, payload.type === "read" ? "read" : "delivered");
      }
    } else if (payload.type === "typing") {
      await state.save(opened.conversation);
      receipts.progress(frame.id);
      signals.onPeerTyping(payload.active);
    } else if (payload.type === "end") {
      await state.save(opened.conversation);
      return await ending.onPeerEnded();
    } else {
      const message = { ...this.#incoming(frame.id, payload), bodyHash };
      if (message.file !== null && message.file.size > this.#parts.preferences().maxFileBytes) {
        // Kept as refused and acknowledged, so its sender stops resending it.
        message.status = "refused";
      }
      // The message is stored before the ratchet moves on: a crash in
      // between leaves a duplicate to drop, never a message lost.
      await state.insert(message);
      let next = opened.conversation;
      if (payload.type === "timer" && (next.timerId ?? "") < payload.id) {
        next = { ...next, timer: payload.seconds, timerId: payload.id };
      }
      await state.save(next);
      signals.onPeerTyping(false);
      if (message.status !== "receiving") receipts.add(frame.id);
    }
    state.changed();
    // The first message may have completed the handshake: pending ones can go.
    await outbox.flush();
  }

  /**
   * Whether a message is new. A known ID with the same body is a resend
   * whose receipt was lost (acknowledged again, shown once); with another
   * body, or an ID of this browser's own, it is the relay's doing.
   */
  #isNew(id: string, bodyHash: string): boolean {
    const { state, receipts } = this.#parts;
    const existing = state.find(id);
    if (existing !== undefined) {
      if (existing.direction === "out") {
        state.report("message", "A message of yours was sent back to you; rejected");
      } else if (existing.bodyHash !== undefined && existing.bodyHash !== bodyHash) {
        state.report("message", "A message arrived under another message's ID; rejected");
      } else if (existing.status !== "receiving") {
        receipts.again(id);
      }
      return false;
    }
    const gone = state.conversation.gone?.find((g) => g.id === id);
    if (gone !== undefined) {
      // It disappeared here already; its sender missed the receipt.
      if (gone.bodyHash === bodyHash) receipts.again(id);
      else state.report("message", "A message arrived under another message's ID; rejected");
      return false;
    }
    return true;
  }

  /** A stored message for a received text, file, timer or hello payload. */
  #incoming(id: string, payload: StoredPayload): StoredMessage {
    const receivedAt = Date.now();
    // The stricter of the sender's timer and this side's: a timer change the
    // sender never received still applies here.
    const expiresIn = payload.type === "text" || payload.type === "file"
      ? stricterTimer(payload.expiresIn, this.#parts.state.conversation.timer)
      : 0;
    return withMessageDefaults({
      conversationId: this.#parts.state.conversation.id,
      id,
      direction: "in",
      kind: payload.type,
      text: payload.type === "text" ? payload.text : "",
      sentAt: payload.sentAt,
      status: payload.type === "file" ? "receiving" : "received",
      envelope: null,
      expiresIn,
      // Counted from arrival: the two clocks need not agree.
      expiresAt: expiresIn > 0 ? receivedAt + expiresIn * 1000 : null,
      file: payload.type === "file" ? fileInfo(payload) : null,
      timer: payload.type === "timer" ? payload.seconds : null,
    });
  }
}

/** The shorter of two disappearing-message timers; 0 (off) only when both are. */
export function stricterTimer(a: number, b: number): number {
  return a === 0 ? b : b === 0 ? a : Math.min(a, b);
}

/** The base64url SHA-256 of a frame body, to tell a resend from a substitute. */
async function hashBody(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  return encodeBase64Url(new Uint8Array(digest));
}

function fileInfo(payload: FilePayload): NonNullable<StoredMessage["file"]> {
  const { name, mime, size, sha256, chunks } = payload;
  return { name, mime, size, sha256, chunks, received: 0 };
}
