/**
 * The conversation client: the one object the chat island talks to, for one
 * conversation this browser holds keys for. It composes small parts, each
 * with one job; data flows one way through them, and every part reports
 * changes through the shared state, which the client turns into a
 * {@linkcode ClientView}.
 *
 * Map of the parts (each file's doc says more; `client_parts.ts` wires them):
 *
 * - `client_state.ts` — **ClientState**: owns the stored conversation, the
 *   messages, the problems and the one queue every change runs through. Calls
 *   only storage.
 * - `connection.ts` — **Connection**: the socket, the auth challenge,
 *   reconnect with backoff, who is online, pacing of frames. Hands every
 *   parsed frame to the client's router below.
 * - `peer_keys.ts` — **PeerKeys**: reads the server's record, checks and pins
 *   the peer, starts the joiner's handshake and queues its hello.
 * - `courier.ts` — **Courier**: seals a payload, saves the ratchet, hands the
 *   body to the connection.
 * - `inbox.ts` — **Inbox**: opens, deduplicates, stores and acknowledges
 *   incoming messages; hands chunks to file transfer, receipts to the outbox,
 *   typing to signals, call signalling to calls.
 * - `outbox.ts` — **Outbox**: pending messages, resends, status from receipts;
 *   starts a file's chunks once its announcement went out.
 * - `receipts.ts` — **Receipts**: batched delivery receipts.
 * - `file_transfer.ts` — **FileTransfer**: chunks out (paced) and in (checked,
 *   assembled); pure file steps are in `file_info.ts`.
 * - `signals.ts` — **Signals**: typing, read receipts, the timer.
 * - `message_actions.ts` — **MessageActions**: reactions, edits and deletes,
 *   sent as hidden rows of the outbox and checked as they arrive (rules in
 *   `action_state.ts`).
 * - `expiry.ts` — **Expiry**: removes disappearing messages.
 * - `ending.ts` — **Ending**: the end of a conversation; the relay's word is
 *   a hint, checked against the server's record or the peer's sealed notice.
 * - `frame_router.ts`: hands each frame the connection passes on to its part;
 *   reads of the record go beside the queue.
 * - `calls.ts` — **Calls**: call signalling as sealed payloads, handed to
 *   the call code the page loads when a call starts or rings; missed and
 *   declined calls as notices kept in this browser only.
 * - `extension.ts` — **Extension**: a later end both people agree to; the
 *   server learns only the new `expiresAt`.
 * - `session_reset.ts` — **SessionReset**: a fresh handshake between the
 *   same identities when a session is broken, started here or by the peer.
 * - `in_flight.ts`: the bound on typing, read and chunk frames sealed past
 *   the peer's last receipt (kept by the courier).
 * - `resent.ts`: tells a message sealed again after a reset from a substitute.
 * - `secure_channel.ts`: the session as pure steps (handshake, seal, open, reset).
 * - `client_view.ts`: the snapshot the island renders, and the options.
 *
 * Every check that fails becomes a visible {@linkcode Problem} that blocks
 * sending; nothing is dropped in silence (but a body that opens under neither
 * session while a reset is under way: its writer seals it again).
 *
 * @module
 */
import { MAX_TEXT_BYTES } from "../crypto/payload.ts";
import { safetyNumber, safetyNumberKey } from "../crypto/safety_number.ts";
import type { LazyCalls } from "./lazy_calls.ts";
import { type ClientParts, composeParts } from "./client_parts.ts";
import { type ClientView, type ConversationClientOptions, viewOf } from "./client_view.ts";
import { DEFAULT_MAX_FILE_BYTES } from "./file_limit.ts";
import { declineFile } from "./file_decline.ts";
import { ListNews } from "./list_news.ts";
import type { ClientPreferences } from "./signals.ts";
import {
  OutdatedConversationError,
  PROTOCOL_VERSION,
  type StoredConversation,
  type StoredMessage,
  withMessageDefaults,
} from "./storage.ts";

export { OutdatedConversationError } from "./storage.ts";
export type { ClientPreferences } from "./signals.ts";
export type { Problem } from "./client_state.ts";
export type { ConnectionState } from "./connection.ts";
export type { ClientView, ConversationClientOptions, PeerState } from "./client_view.ts";

const DEFAULT_PREFERENCES: ClientPreferences = {
  typingIndicator: true,
  readReceipts: false,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
};

/** One browser's side of one conversation. */
export class ConversationClient {
  #parts: ClientParts;
  #preferences: () => ClientPreferences;
  #safetyNumber: Promise<string> | null = null;
  /** Tells the home page in other tabs that this conversation changed. */
  #listNews = new ListNews();

  private constructor(
    options: ConversationClientOptions,
    conversation: StoredConversation,
    messages: StoredMessage[],
  ) {
    const preferences = () => ({ ...DEFAULT_PREFERENCES, ...options.preferences?.() });
    this.#preferences = preferences;
    this.#parts = composeParts({
      ...options,
      conversation,
      messages,
      preferences,
      onChange: () => {
        this.#listNews.changed(conversation.id);
        options.onChange?.(this.view);
      },
      onStale: () => this.stop(),
      onGone: () => {
        this.stop();
        options.onGone?.();
      },
    });
  }

  /**
   * Loads a stored conversation; throws if this browser does not hold it, and
   * an `OutdatedConversationError` for one made by an older version.
   */
  static async open(
    conversationId: string,
    options: ConversationClientOptions,
  ): Promise<ConversationClient> {
    const stored = await options.storage.getConversation(conversationId);
    if (stored === undefined) {
      throw new Error(`Cannot open conversation "${conversationId}": not stored here`);
    }
    if (stored.protocol !== PROTOCOL_VERSION) {
      throw new OutdatedConversationError(conversationId);
    }
    // From here on only this instance may save the record: a tab that loses
    // the lock while work is under way can no longer write a ratchet state
    // another tab has read (which could make both seal with one key).
    const conversation = await options.storage.claimConversation(
      conversationId,
      crypto.randomUUID(),
    );
    if (conversation === undefined) {
      // Deleted (in another tab) between reading and claiming it.
      throw new Error(`Cannot open conversation "${conversationId}": not stored here`);
    }
    const messages = await options.storage.listMessages(conversationId);
    return new ConversationClient(
      options,
      { ...conversation, timer: conversation.timer ?? 0, timerId: conversation.timerId ?? null },
      messages.map(withMessageDefaults),
    );
  }

  /** The conversation as stored. */
  get conversation(): StoredConversation {
    return this.#parts.state.conversation;
  }

  /** Call signalling, fetched with the call code the page loads when a call starts or rings. */
  get calls(): LazyCalls {
    return this.#parts.calls;
  }

  /** A snapshot for the UI. */
  get view(): ClientView {
    return viewOf(this.#parts);
  }

  /**
   * The 60-digit safety number of this conversation, or null before the
   * other person's keys are known. Computed once: it takes 5200 hashes a side.
   */
  safetyNumber(): Promise<string> | null {
    const { peer, bundle, participantId } = this.#parts.state.conversation;
    if (peer === null) return null;
    this.#safetyNumber ??= safetyNumber({
      ownKey: safetyNumberKey(bundle),
      ownId: participantId,
      peerKey: safetyNumberKey(peer.bundle),
      peerId: peer.id,
    });
    return this.#safetyNumber;
  }

  /** Marks the current safety number as checked in person, or clears the mark. */
  async setVerified(verified: boolean): Promise<void> {
    const number = verified ? await this.safetyNumber() : null;
    const state = this.#parts.state;
    await state.serial(async () => {
      await state.save({ ...state.conversation, verified: number ?? null });
      state.changed();
    });
  }

  /** Connects, and keeps reconnecting until {@linkcode stop}. */
  start(): void {
    const state = this.#parts.state;
    this.#parts.expiry.start();
    if (state.conversation.closed !== null) {
      this.#parts.connection.stop();
      state.changed();
      return;
    }
    state.serial(async () => {
      await this.#parts.reset.resume();
      await this.#parts.files.resume();
    });
    // Ended while this page was closed: no socket would ever open.
    this.#parts.ending.check().catch(() => {});
    this.#parts.connection.start();
  }

  /** Closes the socket for good. */
  stop(): void {
    this.#parts.connection.stop();
    this.#parts.signals.stop();
    this.#parts.calls.stop();
    this.#parts.receipts.stop();
    this.#parts.outbox.stop();
    this.#parts.expiry.stop();
    this.#listNews.close();
  }

  /**
   * Writes a message. It is kept as pending and sent when the peer is online.
   * Throws a `RangeError` for an over-long text, an `Error` while blocked.
   * With `replyTo`, it answers that message (quoted from each side's own copy).
   */
  async send(text: string, options: { replyTo?: string } = {}): Promise<StoredMessage> {
    if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) {
      throw new RangeError(`Cannot send message: longer than ${MAX_TEXT_BYTES} bytes`);
    }
    this.#parts.signals.sent();
    this.#assertCanSend("send message");
    const { replyTo } = options;
    if (replyTo !== undefined && this.#parts.state.find(replyTo) === undefined) {
      throw new Error(`Cannot reply to message "${replyTo}": not in this conversation`);
    }
    const fields = { kind: "text" as const, text, ...(replyTo ? { replyTo } : {}) };
    return await this.#parts.outbox.write(fields, this.#parts.state.ulid());
  }

  /**
   * Sends a file. Its bytes wait in this browser, like a message, until the
   * peer is online; throws a `RangeError` above the size limit.
   */
  async sendFile(file: Blob, name: string): Promise<StoredMessage> {
    this.#assertCanSend("send message");
    const maxBytes = this.#preferences().maxFileBytes;
    const { id, info } = await this.#parts.files.prepare(file, { name, maxBytes });
    return await this.#parts.outbox.write({ kind: "file", text: "", file: info }, id);
  }

  /** Reacts to a message with one of `REACTION_EMOJI`; "" takes the reaction back. */
  async react(id: string, emoji: string): Promise<void> {
    this.#assertCanSend("react");
    await this.#parts.actions.react(id, emoji);
  }

  /** Replaces the text of an own message, within the edit window (shown as edited). */
  async edit(id: string, text: string): Promise<void> {
    this.#assertCanSend("edit message");
    await this.#parts.actions.edit(id, text);
  }

  /** Deletes an own message on both sides; both then show "message deleted". */
  async deleteForBoth(id: string): Promise<void> {
    this.#assertCanSend("delete message");
    await this.#parts.actions.deleteForBoth(id);
  }

  /** Removes a message (and its file) from this browser only. */
  async deleteForMe(id: string): Promise<void> {
    await this.#parts.actions.deleteForMe(id);
  }

  /** The bytes of a sent or fully received file. */
  getFile(id: string): Promise<Blob | undefined> {
    return this.#parts.files.getFile(id);
  }

  /**
   * Cancels a file on its way, sent or received, on both sides; false when
   * it is no longer on its way.
   */
  cancelFile(id: string): Promise<boolean> {
    const { state, files } = this.#parts;
    return state.serial(() => files.cancels.cancel(id));
  }

  /**
   * Declines an incoming file still arriving: its sender is told, sealed,
   * and shows it as not accepted. False when it is no longer arriving.
   */
  declineFile(id: string): Promise<boolean> {
    const { state, courier, files } = this.#parts;
    const forget = (fileId: string) => files.forget(fileId);
    return state.serial(() => declineFile({ state, courier, forget }, id));
  }

  /** Sets the disappearing-messages timer for both people (seconds; 0 turns it off). */
  async setTimer(seconds: number): Promise<void> {
    this.#assertCanSend("change the timer");
    await this.#parts.signals.setTimer(seconds);
  }

  /** Tells the other person that this one is typing, or stopped; never queued. */
  setTyping(active: boolean): void {
    this.#parts.signals.setTyping(active);
  }

  /** Marks every received message as read, and says so when read receipts are on. */
  markRead(): void {
    this.#parts.signals.markRead();
  }

  /**
   * Replaces a broken secure session with a fresh handshake between the same
   * identities (the safety number stays); the other person's browser answers
   * by itself. Throws while that cannot be (see `view.canReset`).
   */
  async resetSession(): Promise<void> {
    await this.#parts.reset.start();
  }

  /**
   * Asks for the conversation to end at `expiresAt` instead, or agrees to
   * the other person's request for the same; the server applies it once both
   * asked. Reports whether the request went out.
   */
  requestExtension(expiresAt: string): boolean {
    return this.#parts.extension.request(expiresAt);
  }

  /** Agrees to the end the other person asked for; reports whether it went out. */
  acceptExtension(): boolean {
    return this.#parts.extension.accept();
  }

  /** Sets the other person's request aside; nothing is sent. */
  declineExtension(): void {
    this.#parts.extension.decline();
  }

  /** Dismisses the message problems the user has read; key problems stay. */
  acknowledgeProblems(): void {
    this.#parts.state.acknowledgeProblems();
    this.#parts.state.serial(() => this.#parts.outbox.flush());
  }

  /**
   * Burns the conversation: on the server when it can be reached, and in
   * this browser always. Reports whether the server confirmed.
   */
  async deleteConversation(): Promise<{ server: boolean }> {
    const { storage, conversation } = this.#parts.state;
    try {
      return { server: await this.#parts.ending.requestDelete() };
    } finally {
      // Burned here whatever happened on the way to the server.
      this.stop();
      await storage.deleteConversation(conversation.id);
    }
  }

  #assertCanSend(action: string): void {
    if (!this.view.canSend) throw new Error(`Cannot ${action}: this conversation is blocked`);
  }
}
