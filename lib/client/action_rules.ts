/**
 * The rules of message actions as pure steps: whether a reaction, edit or
 * delete from the other person may apply to a stored message, what it
 * changes, and whether this browser may still edit its own. Loaded with the
 * code that changes messages (`message_actions.ts`), never with the page.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { type ChangePayload, EDIT_WINDOW_MS } from "./action_state.ts";
import type { StoredMessage } from "./storage.ts";

/**
 * Why an action from the other person cannot apply to `target`, as the
 * problem the user is shown; null when it may.
 * An edit or a delete may only change a message the other person wrote
 * (never this browser's own), an edit only a text within
 * {@linkcode EDIT_WINDOW_MS} of its arrival here, measured on this clock.
 */
export function refusalOf(
  payload: ChangePayload,
  target: StoredMessage,
  now: number,
): string | null {
  const type = payload.type;
  if (target.kind !== "text" && target.kind !== "file") {
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
