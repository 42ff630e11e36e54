/**
 * The payloads of message actions: a reply that quotes an earlier message,
 * a reaction, an edit and a delete for both. Like every payload they travel
 * sealed and padded in the session; `payload.ts` adds their field table to
 * its own, so they are checked as strictly as the others (exactly these
 * keys, each valid).
 *
 * A reply names the quoted message by ID only: the receiver shows its own
 * copy of that message, never text the peer claims it said. What a receiver
 * accepts beyond the shape (the target exists, was written by the sender,
 * the edit window) is decided in `lib/client/message_actions.ts`.
 *
 * @module
 */

import { checkTimeField, checkUlidField, type FieldCheck } from "./payload_fields.ts";

/** The reactions one can give, small on purpose; "" takes a reaction back. */
export const REACTION_EMOJI: readonly string[] = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

/** A text that answers an earlier message of the conversation. */
export interface ReplyPayload {
  v: 2;
  type: "reply";
  id: string;
  /** As a text's: at most `MAX_TEXT_BYTES` of UTF-8. */
  text: string;
  /** The ULID of the message it answers; its text is never sent again. */
  replyTo: string;
  sentAt: number;
  expiresIn: number;
}

/** The sender's reaction to a message; one per person and message, the later one wins. */
export interface ReactionPayload {
  v: 2;
  type: "reaction";
  id: string;
  /** The ULID of the message reacted to (either person's). */
  target: string;
  /** One of {@linkcode REACTION_EMOJI}, or "" to take the reaction back. */
  emoji: string;
  sentAt: number;
}

/** New text for one of the sender's own text messages, within the edit window. */
export interface EditPayload {
  v: 2;
  type: "edit";
  id: string;
  /** The ULID of the sender's message. */
  target: string;
  text: string;
  sentAt: number;
  /**
   * The disappearing-message timer of that message, in seconds (0: off), so
   * an edit that arrives before it is kept no longer than it would be.
   */
  expiresIn: number;
}

/** Deletes one of the sender's own messages on both sides. */
export interface DeletePayload {
  v: 2;
  type: "delete";
  id: string;
  /** The ULID of the sender's message. */
  target: string;
  sentAt: number;
}

/** Any action payload. */
export type ActionPayload = ReplyPayload | ReactionPayload | EditPayload | DeletePayload;

/** The types of {@linkcode ActionPayload} that change an earlier message. */
export const ACTION_TYPES: readonly string[] = ["reaction", "edit", "delete"];

/** A field table like the one in `payload.ts`, for the action types. */
export type ActionFieldTable = {
  [T in ActionPayload["type"]]: Record<
    Exclude<keyof Extract<ActionPayload, { type: T }>, "v" | "type">,
    FieldCheck
  >;
};

/** One of {@linkcode REACTION_EMOJI}, or "". */
export const checkEmojiField: FieldCheck = (value, key) => {
  if (typeof value !== "string" || (value !== "" && !REACTION_EMOJI.includes(value))) {
    throw new TypeError(
      `Invalid payload: "${key}" must be one of ${REACTION_EMOJI.join(" ")} or empty`,
    );
  }
  return value;
};

/**
 * The field checks of the action types. Takes the text and timer checks
 * from `payload.ts` (which imports this module, so it cannot import them).
 */
export function actionFields(
  checks: { text: FieldCheck; timer: FieldCheck },
): ActionFieldTable {
  return {
    reply: {
      id: checkUlidField,
      text: checks.text,
      replyTo: checkUlidField,
      sentAt: checkTimeField,
      expiresIn: checks.timer,
    },
    reaction: {
      id: checkUlidField,
      target: checkUlidField,
      emoji: checkEmojiField,
      sentAt: checkTimeField,
    },
    edit: {
      id: checkUlidField,
      target: checkUlidField,
      text: checks.text,
      sentAt: checkTimeField,
      expiresIn: checks.timer,
    },
    delete: { id: checkUlidField, target: checkUlidField, sentAt: checkTimeField },
  };
}
