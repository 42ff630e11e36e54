/**
 * The message actions part as the client holds it: the same calls as
 * {@linkcode MessageActions}, with its code (`message_actions.ts`) fetched
 * the first time a person reacts, edits or deletes, or such an action
 * arrives. A message that arrives loads it only when an action on it came
 * first.
 *
 * @module
 */
import { type ChangePayload, isTheirActionOn } from "./action_state.ts";
import type { ActionParts, MessageActions } from "./message_actions.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

/** {@linkcode MessageActions}, fetched on first use. */
export class LazyMessageActions {
  #parts: ActionParts;
  #actions: Promise<MessageActions> | null = null;

  constructor(parts: ActionParts) {
    this.#parts = parts;
  }

  #load(): Promise<MessageActions> {
    this.#actions ??= import("./message_actions.ts").then(
      ({ MessageActions }) => new MessageActions(this.#parts),
      (error) => {
        this.#actions = null;
        throw error;
      },
    );
    return this.#actions;
  }

  /** {@linkcode MessageActions.react}. */
  async react(target: string, emoji: string): Promise<void> {
    await (await this.#load()).react(target, emoji);
  }

  /** {@linkcode MessageActions.edit}. */
  async edit(target: string, text: string): Promise<void> {
    await (await this.#load()).edit(target, text);
  }

  /** {@linkcode MessageActions.deleteForBoth}. */
  async deleteForBoth(target: string): Promise<void> {
    await (await this.#load()).deleteForBoth(target);
  }

  /** {@linkcode MessageActions.deleteForMe}. */
  async deleteForMe(target: string): Promise<void> {
    await (await this.#load()).deleteForMe(target);
  }

  /** {@linkcode MessageActions.receive}. */
  async receive(
    id: string,
    conversation: StoredConversation,
    payload: ChangePayload,
    hashes: { bodyHash: string; payloadHash: string },
  ): Promise<void> {
    await (await this.#load()).receive(id, conversation, payload, hashes);
  }

  /**
   * {@linkcode MessageActions.early}: `message` as it is to be stored, with
   * the code fetched only when an action on it came before it. Called before
   * `message` is stored, so a failed fetch takes nothing and the message
   * comes again.
   */
  async prepare(message: StoredMessage): Promise<StoredMessage> {
    return this.#early(message) ? (await this.#load()).early(message) : message;
  }

  /** {@linkcode MessageActions.arrived}: loads nothing unless an action on `message` came first. */
  async arrived(message: StoredMessage): Promise<void> {
    if (this.#early(message)) await (await this.#load()).arrived(message);
  }

  #early(message: StoredMessage): boolean {
    return message.direction === "in" &&
      this.#parts.state.messages.some((m) => isTheirActionOn(m, message.id));
  }
}
