/**
 * The inbox: every `message` frame from the relay. It refuses what is not
 * from the peer, tells a resend from a substitute (with `seen_message.ts`,
 * fetched the first time an ID seen before arrives), opens the body, and hands
 * what it holds on: a chunk to file transfer, a receipt to the outbox,
 * typing and reads to signals; texts, files and timer notices it stores
 * before the ratchet moves on, then acknowledges them. A session reset
 * offer goes to the session reset.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import type { FilePayload, Payload } from "../crypto/payload.ts";
import type { ChangePayload } from "./action_state.ts";
import { type CallPayload, isCallPayload } from "../crypto/payload_call.ts";
import type { LazyCalls } from "./lazy_calls.ts";
import type { ClientState } from "./client_state.ts";
import type { Courier } from "./courier.ts";
import type { Ending } from "./ending.ts";
import type { LazyFileTransfer } from "./lazy_files.ts";
import type { LazyMessageActions } from "./lazy_actions.ts";
import type { Outbox } from "./outbox.ts";
import type { PeerKeys } from "./peer_keys.ts";
import type { Receipts } from "./receipts.ts";
import { applyRefusal, loadRefusalSteps, sendRefusal } from "./lazy_refusal.ts";
import { stricterTimer } from "./expiry.ts";
import { hashBody } from "./resent.ts";
import { channelCode } from "./channel_code.ts";
import { ChannelError, isResetting } from "./channel_state.ts";
import { isResetOfferBody } from "../crypto/reset_offer_prefix.ts";
import type { LazySessionReset } from "./lazy_reset.ts";
import type { ClientPreferences, Signals } from "./signals.ts";
import { type MessageFrame, UnknownSender } from "./unknown_sender.ts";
import { type StoredMessage, withMessageDefaults } from "./storage.ts";

const SUBSTITUTE = "chat.problem_substitute";

/**
 * The steps for an ID seen before (`seen_message.ts`), fetched the first
 * time one arrives: ordinary use never needs them.
 */
const seenSteps = () => import("./seen_message.ts");

/** The parts the inbox hands received payloads to. */
export interface InboxParts {
  state: ClientState;
  peers: PeerKeys;
  courier: Courier;
  receipts: Receipts;
  outbox: Outbox;
  files: LazyFileTransfer;
  signals: Signals;
  ending: Ending;
  reset: LazySessionReset;
  actions: LazyMessageActions;
  calls: LazyCalls;
  preferences: () => ClientPreferences;
}

type StoredPayload = Exclude<
  Payload,
  | {
    type:
      | "chunk"
      | "receipt"
      | "read"
      | "typing"
      | "end"
      | "refusal"
      | "cancel"
      | CallPayload["type"];
  }
  | ChangePayload
>;

/** Incoming messages of one conversation. */
export class Inbox {
  #parts: InboxParts;
  #unknown: UnknownSender;

  constructor(parts: InboxParts) {
    this.#parts = parts;
    this.#unknown = new UnknownSender(parts.state, parts.peers, (frame) => this.#take(frame));
  }

  /**
   * Takes one relayed message; every refusal becomes a visible problem,
   * but for a body that opens under no session while a reset is under way.
   */
  async receive(frame: MessageFrame): Promise<void> {
    // One before the peer is known waits for a read of the record, aside.
    if (this.#unknown.held(frame)) return;
    await this.#take(frame);
  }

  async #take(frame: MessageFrame): Promise<void> {
    const { state, courier, receipts, outbox, files, signals, ending } = this.#parts;
    const peer = state.conversation.peer;
    if (peer === null || frame.from !== peer.id) {
      return state.report("message", t("chat.problem_not_the_peer"));
    }
    // Fetched before any check, so a failed fetch is never taken for a
    // substitute: nothing is taken, nor acknowledged, as when the code that
    // opens a message cannot be fetched (below).
    let seen: Awaited<ReturnType<typeof seenSteps>> | null = null;
    if (this.#seen(frame.id)) {
      try {
        seen = await seenSteps();
      } catch {
        return state.report("load", t("chat.problem_part_not_loaded"));
      }
    }
    // A file chunk's body (about 90 KB) is hashed only when a hash is used:
    // for an ID seen before, a reset offer, or a message to keep.
    let bodyHash = seen !== null || isResetOfferBody(frame.body) ? await hashBody(frame.body) : "";
    const known = seen === null ? "new" : await seen.checkSeen(this.#parts, frame.id, bodyHash);
    if (known === "done") return;
    if (isResetOfferBody(frame.body)) {
      if (known !== "new") return state.report("message", t(SUBSTITUTE));
      await this.#parts.reset.receive(frame, bodyHash);
      return await outbox.flush();
    }
    let channel, opened;
    try {
      channel = await channelCode();
      opened = await channel.openBody(state.conversation, frame.body);
    } catch (error) {
      // Anything but a ChannelError is a fetch of the code that opens it
      // (the channel, the handshake, the call checks) that failed: nothing was taken,
      // and the page must be reloaded to open such messages.
      if (!(error instanceof ChannelError)) {
        return state.report("load", t("chat.problem_part_not_loaded"));
      }
      // Sealed under the session a reset replaces: its sender seals it
      // again under the new one, since it was never acknowledged.
      if (isResetting(state.conversation)) return;
      return state.report("message", t(error.problem));
    }
    const { payload } = opened;
    if (payload.id !== frame.id) return state.report("message", t(SUBSTITUTE));
    const hashed = known !== "new" || payload.type !== "chunk";
    if (hashed && bodyHash === "") bodyHash = await hashBody(frame.body);
    const payloadHash = hashed ? await channel.hashPayload(payload) : "";
    if (known !== "new") {
      const hashes = { bodyHash, payloadHash };
      await seen!.takeResealed(this.#parts, known, opened.conversation, payload, hashes);
      return await outbox.flush();
    }
    if (payload.type === "chunk") {
      const kept = await files.store(payload);
      await state.save(opened.conversation, { relaxed: true });
      // Acknowledged kept or not, but only for a file known here: that tells
      // its sender the announcement arrived (see `in_flight.ts`). One not
      // known comes again, announcement first, after the next reconnect.
      if (this.#seen(payload.file)) receipts.progress(frame.id);
      if (kept) await files.count(payload.file);
    } else if (payload.type === "receipt" || payload.type === "read") {
      await state.save(courier.acknowledged(opened.conversation, payload.ids));
      if (payload.type === "read") receipts.progress(frame.id);
      // Read receipts count only while this person shares theirs too.
      if (payload.type === "receipt" || this.#parts.preferences().readReceipts) {
        await outbox.onReceipt(payload.ids, payload.type === "read" ? "read" : "delivered");
      }
    } else if (isCallPayload(payload)) {
      // Call signalling is acknowledged like typing and never stored.
      await state.save(opened.conversation);
      receipts.progress(frame.id);
      this.#parts.calls.receive(payload);
    } else if (payload.type === "typing") {
      await state.save(opened.conversation);
      receipts.progress(frame.id);
      signals.onPeerTyping(payload.active);
    } else if (payload.type === "refusal") {
      // The code first: a failed fetch takes nothing, and the refusal comes again.
      await loadRefusalSteps();
      await state.save(opened.conversation);
      receipts.progress(frame.id);
      await applyRefusal(state, payload);
    } else if (payload.type === "cancel") {
      // The code first: a failed fetch takes nothing, and the cancel is told again.
      await files.load();
      await state.save(opened.conversation);
      // Acknowledged honoured or not: its sender stops telling it again.
      receipts.add(frame.id);
      await files.cancels.receive(payload);
    } else if (payload.type === "end") {
      // The end saved with the ratchet, in one write: a tab closed after it
      // still shows the conversation deleted by the other person.
      await state.save({ ...opened.conversation, closed: opened.conversation.closed ?? "deleted" });
      return await ending.onPeerEnded();
    } else if (
      payload.type === "reaction" || payload.type === "edit" || payload.type === "delete"
    ) {
      const hashes = { bodyHash, payloadHash };
      await this.#parts.actions.receive(frame.id, opened.conversation, payload, hashes);
    } else {
      let message: StoredMessage = { ...this.#incoming(frame.id, payload), bodyHash, payloadHash };
      if (message.file !== null && message.file.size > this.#parts.preferences().maxFileBytes) {
        // Kept as refused; the refusal, not a receipt, stops its sender.
        message.status = "refused";
        message.refusal = "too_large";
      }
      // Stored with the actions that came first already applied (their code
      // fetched before anything is stored).
      message = await this.#parts.actions.prepare(message);
      let next = opened.conversation;
      if (payload.type === "timer" && (next.timerId ?? "") < payload.id) {
        next = { ...next, timer: payload.seconds, timerId: payload.id };
        // Before its notice: a crash after that leaves no notice of a timer not set.
        await state.save({ ...state.conversation, timer: payload.seconds, timerId: payload.id });
      }
      // The message is stored before the ratchet moves on: a crash in
      // between leaves a duplicate to drop, never a message lost (the
      // handshake's first one is opened again: see `checkSeen`).
      await state.insert(message);
      await this.#parts.actions.arrived(message);
      await state.save(next);
      signals.onPeerTyping(false);
      if (message.status === "refused") await sendRefusal(state, courier, frame.id, "too_large");
      else if (message.status !== "receiving") receipts.add(frame.id);
    }
    // A chunk redraws the page only when its file's percent moves (see file_transfer.ts).
    if (payload.type !== "chunk") state.changed();
    // The first message may have completed the handshake: pending ones can go.
    await outbox.flush();
  }

  /** Whether an ID is of a message kept here or one that disappeared here. */
  #seen(id: string): boolean {
    const { state } = this.#parts;
    return state.find(id) !== undefined ||
      (state.conversation.gone ?? []).some((gone) => gone.id === id);
  }

  /** A stored message for a received text, reply, file, timer or hello payload. */
  #incoming(id: string, payload: StoredPayload): StoredMessage {
    const receivedAt = Date.now();
    // The stricter of the sender's timer and this side's: a timer change the
    // sender never received still applies here.
    const expiresIn = payload.type === "text" || payload.type === "reply" || payload.type === "file"
      ? stricterTimer(payload.expiresIn, this.#parts.state.conversation.timer)
      : 0;
    return withMessageDefaults({
      conversationId: this.#parts.state.conversation.id,
      id,
      direction: "in",
      kind: payload.type === "reply" ? "text" : payload.type,
      text: payload.type === "text" || payload.type === "reply" ? payload.text : "",
      sentAt: payload.sentAt,
      status: payload.type === "file" ? "receiving" : "received",
      envelope: null,
      expiresIn,
      // Counted from arrival: the two clocks need not agree.
      expiresAt: expiresIn > 0 ? receivedAt + expiresIn * 1000 : null,
      file: payload.type === "file" ? fileInfo(payload) : null,
      timer: payload.type === "timer" ? payload.seconds : null,
      // The start of the edit window; a reply names what it answers.
      receivedAt,
      ...(payload.type === "reply" ? { replyTo: payload.replyTo } : {}),
    });
  }
}

function fileInfo(payload: FilePayload): NonNullable<StoredMessage["file"]> {
  const { name, mime, size, sha256, chunks } = payload;
  return { name, mime, size, sha256, chunks, received: 0 };
}
