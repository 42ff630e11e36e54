/**
 * What the page needs to know of the session before any message is sealed
 * or opened: whether it can seal, whether a reset is under way, and the
 * error a refused body raises. The code that seals and opens
 * (`secure_channel.ts`, with the ratchet, the envelope and the payloads) is
 * fetched by `channel_code.ts` when it is first used.
 *
 * @module
 */
import type { Bundle } from "../crypto/bundle_format.ts";
import type { StoredConversation } from "./storage.ts";

/** A body that cannot be accepted; the message says why, for the user. */
export class ChannelError extends Error {
  /** The catalogue key of the problem the person is shown when a received message fails so. */
  readonly problem: string;
  constructor(message: string, options?: ErrorOptions & { problem?: string }) {
    super(message, options);
    this.name = "ChannelError";
    this.problem = options?.problem ?? "chat.problem_failed_verification";
  }
}

/** The other person as a session step needs them: participant ID and bundle. */
export type Peer = { id: string; bundle: Bundle };

/** Whether this side can encrypt now: the creator only after its first receive. */
export function canSeal(conversation: StoredConversation): boolean {
  return conversation.peer !== null && conversation.ratchet !== null &&
    (conversation.role === "joiner" || conversation.prekeys === null);
}

/**
 * Whether a session reset is under way here: this side's offer waits for
 * its answer, or this side answered one and waits for the first message of
 * the new session.
 */
export function isResetting(conversation: StoredConversation): boolean {
  return (conversation.reset ?? null) !== null ||
    (conversation.handshake !== null && (conversation.generation ?? 0) > 0);
}
