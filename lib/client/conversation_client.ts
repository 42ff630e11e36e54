/**
 * The conversation client: the one object the chat island talks to, for one
 * conversation this browser holds keys for. It composes small parts, each
 * with one job; data flows one way through them, and every part reports
 * changes through the shared state, which the client turns into a
 * {@linkcode ClientView}.
 *
 * Map of the parts (each file's doc says more):
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
 *   typing to signals.
 * - `outbox.ts` — **Outbox**: pending messages, resends, status from receipts;
 *   starts a file's chunks once its announcement went out.
 * - `receipts.ts` — **Receipts**: batched delivery receipts.
 * - `file_transfer.ts` — **FileTransfer**: chunks out (paced) and in (checked,
 *   assembled); pure file steps are in `file_info.ts`.
 * - `signals.ts` — **Signals**: typing, read receipts, the timer.
 * - `expiry.ts` — **Expiry**: removes disappearing messages.
 * - `secure_channel.ts`: the session as pure steps (handshake, seal, open).
 *
 * Every check that fails becomes a visible {@linkcode Problem} that blocks
 * sending; nothing is dropped in silence.
 *
 * @module
 */
import { MAX_TEXT_BYTES } from "../crypto/payload.ts";
import { safetyNumber, safetyNumberKey } from "../crypto/safety_number.ts";
import { ClientState } from "./client_state.ts";
import type { ClientView, ConversationClientOptions } from "./client_view.ts";
import { Connection } from "./connection.ts";
import { Courier } from "./courier.ts";
import { Expiry } from "./expiry.ts";
import { DEFAULT_MAX_FILE_BYTES } from "./file_info.ts";
import { FileTransfer } from "./file_transfer.ts";
import { Ending } from "./ending.ts";
import { routeFrame, type RouterParts } from "./frame_router.ts";
import { Inbox } from "./inbox.ts";
import { Outbox } from "./outbox.ts";
import { PeerKeys } from "./peer_keys.ts";
import { Receipts } from "./receipts.ts";
import { canSeal } from "./secure_channel.ts";
import { type ClientPreferences, Signals } from "./signals.ts";
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
  #state: ClientState;
  #connection: Connection;
  #receipts: Receipts;
  #files: FileTransfer;
  #outbox: Outbox;
  #signals: Signals;
  #expiry: Expiry;
  #preferences: () => ClientPreferences;
  #safetyNumber: Promise<string> | null = null;
  #ending: Ending;

  private constructor(
    options: ConversationClientOptions,
    conversation: StoredConversation,
    messages: StoredMessage[],
  ) {
    const preferences = () => ({ ...DEFAULT_PREFERENCES, ...options.preferences?.() });
    this.#preferences = preferences;
    const state = new ClientState(conversation, messages, {
      storage: options.storage,
      onChange: () => options.onChange?.(this.view),
      onStale: () => this.stop(),
    });
    const connection = new Connection({
      baseUrl: options.baseUrl,
      state,
      sendRate: options.sendRate,
      openSocket: options.openSocket,
      onFrame: (frame): Promise<void> => routeFrame(router, frame),
    });
    const courier = new Courier(state, connection);
    const receipts = new Receipts(state, connection, courier);
    const files = new FileTransfer({ state, connection, courier, receipts });
    const outbox = new Outbox({ state, connection, courier, receipts, files });
    const signals = new Signals({ state, courier, outbox, preferences });
    const peers = new PeerKeys(options.baseUrl, state);
    const ending = new Ending({ state, connection, courier, peers });
    const inbox = new Inbox({
      state,
      peers,
      receipts,
      outbox,
      files,
      signals,
      ending,
      preferences,
    });
    const router: RouterParts = { state, peers, inbox, outbox, signals, ending };
    this.#state = state;
    this.#connection = connection;
    this.#ending = ending;
    this.#receipts = receipts;
    this.#files = files;
    this.#outbox = outbox;
    this.#signals = signals;
    this.#expiry = new Expiry(state);
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
    const conversation = (await options.storage.claimConversation(
      conversationId,
      crypto.randomUUID(),
    ))!;
    const messages = await options.storage.listMessages(conversationId);
    return new ConversationClient(
      options,
      { ...conversation, timer: conversation.timer ?? 0, timerId: conversation.timerId ?? null },
      messages.map(withMessageDefaults),
    );
  }

  /** The conversation as stored. */
  get conversation(): StoredConversation {
    return this.#state.conversation;
  }

  /** A snapshot for the UI. */
  get view(): ClientView {
    const { conversation, messages, problems } = this.#state;
    const { closed, peer } = conversation;
    return {
      connection: this.#connection.status,
      peer: peer === null ? "waiting" : this.#connection.isOnline(peer.id) ? "online" : "offline",
      messages: messages.filter((m) => m.kind !== "hello"),
      problems: [...problems],
      closed,
      canSend: closed === null && problems.length === 0,
      secure: canSeal(conversation),
      verified: conversation.verified,
      kemBackend: conversation.kemBackend,
      peerTyping: this.#signals.peerTyping,
      timer: conversation.timer,
      transfers: this.#files.progress,
    };
  }

  /**
   * The 60-digit safety number of this conversation, or null before the
   * other person's keys are known. Computed once: it takes 5200 hashes a side.
   */
  safetyNumber(): Promise<string> | null {
    const { peer, bundle, participantId } = this.#state.conversation;
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
    const state = this.#state;
    await state.serial(async () => {
      await state.save({ ...state.conversation, verified: number ?? null });
      state.changed();
    });
  }

  /** Connects, and keeps reconnecting until {@linkcode stop}. */
  start(): void {
    const state = this.#state;
    this.#expiry.start();
    if (state.conversation.closed !== null) {
      this.#connection.stop();
      state.changed();
      return;
    }
    state.serial(async () => {
      await this.#files.resume();
      // Ended while this page was closed: no socket would ever open.
      await this.#ending.confirm();
    });
    this.#connection.start();
  }

  /** Closes the socket for good. */
  stop(): void {
    this.#connection.stop();
    this.#signals.stop();
    this.#receipts.stop();
    this.#outbox.stop();
    this.#expiry.stop();
  }

  /**
   * Writes a message. It is kept as pending and sent when the peer is online.
   * Throws a `RangeError` for an over-long text, an `Error` while blocked.
   */
  async send(text: string): Promise<StoredMessage> {
    if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) {
      throw new RangeError(`Cannot send message: longer than ${MAX_TEXT_BYTES} bytes`);
    }
    this.#signals.sent();
    this.#assertCanSend("send message");
    return await this.#outbox.write({ kind: "text", text }, this.#state.ulid());
  }

  /**
   * Sends a file. Its bytes wait in this browser, like a message, until the
   * peer is online; throws a `RangeError` above the size limit.
   */
  async sendFile(file: Blob, name: string): Promise<StoredMessage> {
    const maxBytes = this.#preferences().maxFileBytes;
    const { id, info } = await this.#files.prepare(file, { name, maxBytes });
    this.#assertCanSend("send message");
    return await this.#outbox.write({ kind: "file", text: "", file: info }, id);
  }

  /** The bytes of a sent or fully received file. */
  getFile(id: string): Promise<Blob | undefined> {
    return this.#files.getFile(id);
  }

  /** Sets the disappearing-messages timer for both people (seconds; 0 turns it off). */
  async setTimer(seconds: number): Promise<void> {
    this.#assertCanSend("change the timer");
    await this.#signals.setTimer(seconds);
  }

  /** Tells the other person that this one is typing, or stopped; never queued. */
  setTyping(active: boolean): void {
    this.#signals.setTyping(active);
  }

  /** Marks every received message as read, and says so when read receipts are on. */
  markRead(): void {
    this.#signals.markRead();
  }

  /** Dismisses the message problems the user has read; key problems stay. */
  acknowledgeProblems(): void {
    this.#state.acknowledgeProblems();
    this.#state.serial(() => this.#outbox.flush());
  }

  /**
   * Burns the conversation: on the server when it can be reached, and in
   * this browser always. Reports whether the server confirmed.
   */
  async deleteConversation(): Promise<{ server: boolean }> {
    const server = await this.#ending.requestDelete();
    this.stop();
    const { storage, conversation } = this.#state;
    await this.#state.serial(() => storage.deleteConversation(conversation.id));
    return { server };
  }

  #assertCanSend(action: string): void {
    if (!this.view.canSend) throw new Error(`Cannot ${action}: this conversation is blocked`);
  }
}
