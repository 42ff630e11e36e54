/**
 * What a person does in an open conversation, as the conversation client
 * offers it: write, answer, react, edit and delete messages, send and cancel
 * files, set the timer, say typing and read, reset a broken session and ask
 * for a later end. Each hands the work to its part (see the map in
 * `conversation_client.ts`), which `ConversationClient` builds.
 *
 * @module
 */
import { MAX_TEXT_BYTES } from "../crypto/payload_limits.ts";
import type { ClientParts } from "./client_parts.ts";
import { viewOf } from "./client_view.ts";
import type { ClientPreferences } from "./signals.ts";
import type { StoredMessage } from "./storage.ts";

/** The actions of a conversation client, on the parts its subclass builds. */
export abstract class ClientActions {
  /** Every part of the client; set by the subclass's constructor. */
  protected parts!: ClientParts;
  /** The settings page's choices, read at each use. */
  protected preferences!: () => ClientPreferences;

  /**
   * Writes a message. It is kept as pending and sent when the peer is online.
   * Throws a `RangeError` for an over-long text, an `Error` while blocked.
   * With `replyTo`, it answers that message (quoted from each side's own copy).
   */
  async send(text: string, options: { replyTo?: string } = {}): Promise<StoredMessage> {
    if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) {
      throw new RangeError(`Cannot send message: longer than ${MAX_TEXT_BYTES} bytes`);
    }
    this.parts.signals.sent();
    this.assertCanSend("send message");
    const { replyTo } = options;
    if (replyTo !== undefined && this.parts.state.find(replyTo) === undefined) {
      throw new Error(`Cannot reply to message "${replyTo}": not in this conversation`);
    }
    const fields = { kind: "text" as const, text, ...(replyTo ? { replyTo } : {}) };
    return await this.parts.outbox.write(fields, this.parts.state.ulid());
  }

  /**
   * Sends a file. Its bytes wait in this browser, like a message, until the
   * peer is online; throws a `RangeError` above the size limit.
   */
  async sendFile(file: Blob, name: string): Promise<StoredMessage> {
    this.assertCanSend("send message");
    const maxBytes = this.preferences().maxFileBytes;
    const { id, info } = await this.parts.files.prepare(file, { name, maxBytes });
    return await this.parts.outbox.write({ kind: "file", text: "", file: info }, id);
  }

  /** Reacts to a message with one of `REACTION_EMOJI`; "" takes the reaction back. */
  async react(id: string, emoji: string): Promise<void> {
    this.assertCanSend("react");
    await this.parts.actions.react(id, emoji);
  }

  /** Replaces the text of an own message, within the edit window (shown as edited). */
  async edit(id: string, text: string): Promise<void> {
    this.assertCanSend("edit message");
    await this.parts.actions.edit(id, text);
  }

  /** Deletes an own message on both sides; both then show "message deleted". */
  async deleteForBoth(id: string): Promise<void> {
    this.assertCanSend("delete message");
    await this.parts.actions.deleteForBoth(id);
  }

  /** Removes a message (and its file) from this browser only. */
  async deleteForMe(id: string): Promise<void> {
    await this.parts.actions.deleteForMe(id);
  }

  /** The bytes of a sent or fully received file. */
  getFile(id: string): Promise<Blob | undefined> {
    return this.parts.files.getFile(id);
  }

  /**
   * Cancels a file on its way, sent or received, on both sides; false when
   * it is no longer on its way.
   */
  cancelFile(id: string): Promise<boolean> {
    const { state, files } = this.parts;
    return state.serial(() => files.cancels.cancel(id));
  }

  /**
   * Declines an incoming file still arriving: its sender is told, sealed,
   * and shows it as not accepted. False when it is no longer arriving.
   */
  declineFile(id: string): Promise<boolean> {
    const { state, courier, files } = this.parts;
    const forget = (fileId: string) => files.forget(fileId);
    return state.serial(async () => {
      const { declineFile } = await import("./file_decline.ts");
      return await declineFile({ state, courier, forget }, id);
    });
  }

  /** Sets the disappearing-messages timer for both people (seconds; 0 turns it off). */
  async setTimer(seconds: number): Promise<void> {
    this.assertCanSend("change the timer");
    await this.parts.signals.setTimer(seconds);
  }

  /** Tells the other person that this one is typing, or stopped; never queued. */
  setTyping(active: boolean): void {
    this.parts.signals.setTyping(active);
  }

  /** Marks every received message as read, and says so when read receipts are on. */
  markRead(): void {
    this.parts.signals.markRead();
  }

  /**
   * Replaces a broken secure session with a fresh handshake between the same
   * identities (the safety number stays); the other person's browser answers
   * by itself. Throws while that cannot be (see `view.canReset`).
   */
  async resetSession(): Promise<void> {
    await this.parts.reset.start();
  }

  /**
   * Asks for the conversation to end at `expiresAt` instead, or agrees to
   * the other person's request for the same; the server applies it once both
   * asked. Reports whether the request went out.
   */
  requestExtension(expiresAt: string): Promise<boolean> {
    return this.parts.extension.request(expiresAt);
  }

  /** Agrees to the end the other person asked for; reports whether it went out. */
  acceptExtension(): Promise<boolean> {
    return this.parts.extension.accept();
  }

  /** Sets the other person's request aside; nothing is sent. */
  declineExtension(): Promise<void> {
    return this.parts.extension.decline();
  }

  /** Dismisses the message problems the user has read; key problems stay. */
  acknowledgeProblems(): void {
    this.parts.state.acknowledgeProblems();
    this.parts.state.serial(() => this.parts.outbox.flush());
  }

  /** Throws while the conversation is blocked, naming the action refused. */
  protected assertCanSend(action: string): void {
    if (!viewOf(this.parts).canSend) {
      throw new Error(`Cannot ${action}: this conversation is blocked`);
    }
  }
}
