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
 *   typing to signals, call signalling to calls. Fetched with the first
 *   message frame, or while idle (`lazy_inbox.ts`).
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
 *   server learns only the new `expiresAt`. Fetched with the first frame
 *   about one or when the person asks (`lazy_extension.ts`); what every
 *   page needs of the end is in `extension_end.ts`.
 * - `session_reset.ts` — **SessionReset**: a fresh handshake between the
 *   same identities when a session is broken, started here or by the peer.
 * - `in_flight.ts`: the bound on typing, read and chunk frames sealed past
 *   the peer's last receipt (kept by the courier).
 * - `resent.ts`: tells a message sealed again after a reset from a substitute.
 * - `seen_message.ts`: the inbox's steps for an ID seen before (a resend, a
 *   message sealed again, a substitute), fetched when the first one arrives.
 * - `secure_channel.ts`: the session as pure steps (handshake, seal, open,
 *   reset), fetched the first time a message is sealed or opened
 *   (`channel_code.ts`); `channel_state.ts` holds what the page reads of the
 *   session before that (whether it can seal, whether a reset is under way).
 * - `client_view.ts`: the snapshot the island renders, and the options.
 *
 * Every check that fails becomes a visible {@linkcode Problem} that blocks
 * sending; nothing is dropped in silence (but a body that opens under neither
 * session while a reset is under way: its writer seals it again).
 *
 * @module
 */
import { ClientActions } from "./client_actions.ts";
import type { LazyCalls } from "./lazy_calls.ts";
import { composeParts } from "./client_parts.ts";
import { type ClientView, type ConversationClientOptions, viewOf } from "./client_view.ts";
import { DEFAULT_MAX_FILE_BYTES } from "./file_limit.ts";
import { ListNews } from "./list_news.ts";
import type { ClientPreferences } from "./signals.ts";
import { loadStored } from "./client_open.ts";
import { ClientVerification } from "./client_verification.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

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

/**
 * One browser's side of one conversation: opening, starting and stopping it,
 * its view, and burning it; what a person does in it is `client_actions.ts`.
 */
export class ConversationClient extends ClientActions {
  #verification: ClientVerification;
  /** Tells the home page in other tabs that this conversation changed. */
  #listNews = new ListNews();

  private constructor(
    options: ConversationClientOptions,
    conversation: StoredConversation,
    messages: StoredMessage[],
  ) {
    super();
    const preferences = () => ({ ...DEFAULT_PREFERENCES, ...options.preferences?.() });
    this.preferences = preferences;
    this.parts = composeParts({
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
    this.#verification = new ClientVerification(this.parts.state);
  }

  /**
   * Loads a stored conversation; throws if this browser does not hold it, and
   * an `OutdatedConversationError` for one made by an older version.
   */
  static async open(
    conversationId: string,
    options: ConversationClientOptions,
  ): Promise<ConversationClient> {
    const { conversation, messages } = await loadStored(conversationId, options.storage);
    return new ConversationClient(options, conversation, messages);
  }

  /** The conversation as stored. */
  get conversation(): StoredConversation {
    return this.parts.state.conversation;
  }

  /** Call signalling, fetched with the call code the page loads when a call starts or rings. */
  get calls(): LazyCalls {
    return this.parts.calls;
  }

  /** A snapshot for the UI. */
  get view(): ClientView {
    return viewOf(this.parts);
  }

  /**
   * The 60-digit safety number of this conversation, or null before the
   * other person's keys are known (see `client_verification.ts`).
   */
  safetyNumber(): Promise<string> | null {
    return this.#verification.safetyNumber();
  }

  /** Marks the current safety number as checked in person, or clears the mark. */
  setVerified(verified: boolean): Promise<void> {
    return this.#verification.setVerified(verified);
  }

  /** Connects, and keeps reconnecting until {@linkcode stop}. */
  start(): void {
    const state = this.parts.state;
    this.parts.expiry.start();
    if (state.conversation.closed !== null) {
      this.parts.connection.stop();
      state.changed();
      return;
    }
    state.serial(async () => {
      await this.parts.reset.resume();
      await this.parts.files.resume();
    });
    // Ended while this page was closed: no socket would ever open.
    this.parts.ending.check().catch(() => {});
    this.parts.connection.start();
  }

  /** Closes the socket for good. */
  stop(): void {
    this.parts.connection.stop();
    this.parts.signals.stop();
    this.parts.calls.stop();
    this.parts.receipts.stop();
    this.parts.outbox.stop();
    this.parts.expiry.stop();
    this.#listNews.close();
  }

  /**
   * Burns the conversation: on the server when it can be reached, and in
   * this browser always. Reports whether the server confirmed.
   */
  async deleteConversation(): Promise<{ server: boolean }> {
    const { storage, conversation } = this.parts.state;
    try {
      return { server: await this.parts.ending.requestDelete() };
    } finally {
      // Burned here whatever happened on the way to the server.
      this.stop();
      await storage.deleteConversation(conversation.id);
    }
  }
}
