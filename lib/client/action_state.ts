/**
 * Message actions as stored, and their rules as pure steps: what a reply,
 * reaction, edit or delete adds to a stored message, whether one from the
 * other person may apply, and the message after it applies (those two in
 * `action_rules.ts`, which only the code that changes messages loads). The
 * part that sends and receives them is `message_actions.ts`.
 *
 * Every field here is optional, so messages stored before actions existed
 * read as they did: no reply, no reactions, never edited, not deleted.
 *
 * @module
 */
import type { ActionPayload } from "../crypto/payload_actions.ts";
import type { StoredMessage } from "./storage.ts";

/** How long after a message arrived its writer may still edit it. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

/** One person's reaction; `id` is the reaction payload's ULID (the later one wins). */
export interface Reaction {
  /** One of `REACTION_EMOJI`, or "" once taken back. */
  emoji: string;
  id: string;
}

/** The stored action of a hidden "action" row: what it did, never any text. */
export interface StoredAction {
  type: "reaction" | "edit" | "delete";
  /** The ULID of the message it changes. */
  target: string;
  /** Reactions only. */
  emoji?: string;
}

/** What message actions add to a stored message; all absent on older messages. */
export interface MessageActionFields {
  /** The ULID of the message this one answers (its quote is shown from the local copy). */
  replyTo?: string;
  /** One reaction per person: `out` this browser's, `in` the other person's. */
  reactions?: { out?: Reaction; in?: Reaction };
  /** Set once edited: when this browser applied the edit, and the edit's ULID. */
  edited?: { at: number; id: string };
  /** "both": deleted by its writer on both sides (shown as "message deleted"); "me": hidden here. */
  deleted?: "me" | "both";
  /** Incoming only: when it arrived here (milliseconds), the start of its edit window. */
  receivedAt?: number;
  /** On a hidden "action" row: what it does (the row only carries it to the other side). */
  action?: StoredAction;
}

/** The payloads that change an earlier message. */
export type ChangePayload = Extract<ActionPayload, { type: "reaction" | "edit" | "delete" }>;

/** Whether `m` is the other person's reaction, edit or delete of message `target`. */
export function isTheirActionOn(m: StoredMessage, target: string): boolean {
  return m.kind === "action" && m.direction === "in" && m.action?.target === target;
}

/** The reactions on a message that are not taken back, own first. */
export function shownReactions(m: StoredMessage): { emoji: string; by: "out" | "in" }[] {
  const result: { emoji: string; by: "out" | "in" }[] = [];
  for (const by of ["out", "in"] as const) {
    const emoji = m.reactions?.[by]?.emoji;
    if (emoji) result.push({ emoji, by });
  }
  return result;
}

/**
 * The payload an outgoing reply or hidden action row is sealed as; null for
 * any other message (the outbox seals those itself).
 */
export function actionPayloadOf(m: StoredMessage): ActionPayload | null {
  const { id, sentAt } = m;
  if (m.kind === "text" && m.replyTo !== undefined) {
    return {
      v: 2,
      type: "reply",
      id,
      text: m.text,
      replyTo: m.replyTo,
      sentAt,
      expiresIn: m.expiresIn,
    };
  }
  if (m.kind !== "action" || m.action === undefined) return null;
  const { type, target } = m.action;
  switch (type) {
    case "reaction":
      return { v: 2, type, id, target, emoji: m.action.emoji ?? "", sentAt };
    case "edit":
      return { v: 2, type, id, target, text: m.text, sentAt, expiresIn: m.expiresIn };
    case "delete":
      return { v: 2, type, id, target, sentAt };
  }
}
