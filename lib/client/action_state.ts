/**
 * Message actions as stored, and their rules as pure steps: what a reply,
 * reaction, edit or delete adds to a stored message, whether one from the
 * other person may apply, and the message after it applies. The part that
 * sends and receives them is `message_actions.ts`.
 *
 * Every field here is optional, so messages stored before actions existed
 * read as they did: no reply, no reactions, never edited, not deleted.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
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

/**
 * Why an action from the other person cannot apply to `target` (undefined:
 * no such message here), as the problem the user is shown; null when it may.
 * An edit or a delete may only change a message the other person wrote
 * (never this browser's own), an edit only a text within
 * {@linkcode EDIT_WINDOW_MS} of its arrival here, measured on this clock.
 */
export function refusalOf(
  payload: ChangePayload,
  target: StoredMessage | undefined,
  now: number,
): string | null {
  const type = payload.type;
  if (target === undefined || (target.kind !== "text" && target.kind !== "file")) {
    return t("chat.problem_action_not_here", { type });
  }
  if (payload.type === "reaction") return null;
  if (target.direction !== "in") return t("chat.problem_action_not_theirs", { type });
  if (payload.type === "delete") return null;
  if (target.kind !== "text") return t("chat.problem_edit_file");
  if (target.receivedAt === undefined || now - target.receivedAt > EDIT_WINDOW_MS) {
    return t("chat.problem_edit_late");
  }
  return null;
}

/**
 * The changes to `target` once `payload` applies, made by this browser
 * (`by` "out") or by the other person ("in"); null when nothing changes (an
 * older reaction or edit than the one shown, or a deleted message).
 */
export function changesOf(
  target: StoredMessage,
  payload: ChangePayload,
  by: "in" | "out",
  now: number,
): Partial<StoredMessage> | null {
  if (target.deleted !== undefined) return null;
  switch (payload.type) {
    case "reaction": {
      const current = target.reactions?.[by];
      if (current !== undefined && current.id >= payload.id) return null;
      const reaction = { emoji: payload.emoji, id: payload.id };
      return { reactions: { ...target.reactions, [by]: reaction } };
    }
    case "edit":
      if (target.edited !== undefined && target.edited.id >= payload.id) return null;
      return { text: payload.text, edited: { at: now, id: payload.id } };
    case "delete":
      return deletedChanges();
  }
}

/** A message deleted for both: its text, file, quote, reactions and edit mark gone. */
export function deletedChanges(): Partial<StoredMessage> {
  return {
    text: "",
    file: null,
    deleted: "both",
    replyTo: undefined,
    reactions: undefined,
    edited: undefined,
  };
}

/** Whether this browser may still edit its own message `m` (its own clock). */
export function canEdit(m: StoredMessage, now = Date.now()): boolean {
  return m.direction === "out" && m.kind === "text" && m.deleted === undefined &&
    now - m.sentAt <= EDIT_WINDOW_MS;
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
      return { v: 2, type, id, target, text: m.text, sentAt };
    case "delete":
      return { v: 2, type, id, target, sentAt };
  }
}
