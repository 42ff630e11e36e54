import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useRef } from "preact/hooks";
import { canEdit } from "../../lib/client/action_state.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { REACTION_EMOJI } from "../../lib/crypto/payload_actions.ts";
import { t } from "../../lib/i18n/i18n.ts";

/** What the chat does for the actions of one message. */
export interface MessageActionHandlers {
  /** False while sending is off: only copying and deleting for oneself remain. */
  canSend: boolean;
  onReply(message: StoredMessage): void;
  onEdit(message: StoredMessage): void;
  react(id: string, emoji: string): Promise<void>;
  deleteForMe(id: string): Promise<void>;
  deleteForBoth(id: string): Promise<void>;
}

/** Props of {@linkcode MessageActionsMenu}. */
export interface MessageActionsMenuProps {
  message: StoredMessage;
  actions: MessageActionHandlers;
}

/**
 * The "…" button beside a message and the panel it opens: reply, react,
 * copy, edit (own texts, within the edit window) and delete (for me, or for
 * both on own messages, each confirmed). A disclosure, not a menu: every
 * control is a plain button in tab order; Escape or a click elsewhere
 * closes it and focus returns to the button.
 */
export function MessageActionsMenu({ message: m, actions }: MessageActionsMenuProps) {
  const open = useSignal(false);
  const confirming = useSignal<"me" | "both" | null>(null);
  const status = useSignal("");
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = `actions-${m.id}`;
  const deleted = m.deleted === "both";
  const mine = m.reactions?.out?.emoji ?? "";

  function close(refocus = true) {
    open.value = false;
    confirming.value = null;
    if (refocus) toggle.current?.focus();
  }

  useEffect(() => {
    if (!open.value) return;
    // The newest message's panel opens below the list's edge: bring it in.
    root.current?.querySelector(".actions-panel")?.scrollIntoView({ block: "nearest" });
    const onPointer = (e: Event) => {
      if (!root.current?.contains(e.target as Node)) close(false);
    };
    // Escape closes it wherever focus is (a confirmed step may have removed the focused button).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") close(true);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open.value]);

  // Asking to confirm moves focus to the safe answer.
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming.value !== null) cancel.current?.focus();
  }, [confirming.value]);

  /** Runs an action, closes the panel, and says what went wrong, if anything. */
  async function run(work: () => Promise<void> | void, refocus = true) {
    try {
      await work();
      status.value = "";
      close(refocus);
    } catch (error) {
      status.value = (error as Error).message;
    }
  }

  return (
    <div
      class={open.value ? "message-actions open" : "message-actions"}
      ref={root}
    >
      <button
        ref={toggle}
        type="button"
        class="actions-toggle"
        aria-expanded={open.value}
        aria-controls={panelId}
        aria-label={t("actions.toggle")}
        title={t("actions.toggle")}
        onClick={() => open.value ? close() : (open.value = true, status.value = "")}
      >
        <span aria-hidden="true">…</span>
      </button>
      {open.value && (
        <div id={panelId} class="actions-panel" role="group" aria-label={t("actions.toggle")}>
          {actions.canSend && !deleted && (
            <div class="reaction-picker" role="group" aria-label={t("actions.react")}>
              {REACTION_EMOJI.map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  class="reaction-choice"
                  aria-pressed={mine === emoji}
                  aria-label={t("actions.react_with", { emoji })}
                  onClick={() =>
                    run(() => actions.react(m.id, mine === emoji ? "" : emoji))}
                >
                  {emoji}
                </button>
              ))}
            </div>
          )}
          {actions.canSend && !deleted && (
            <button
              type="button"
              class="button"
              onClick={() =>
                run(() => actions.onReply(m), false)}
            >
              {t("actions.reply")}
            </button>
          )}
          {!deleted && m.kind === "text" && (
            <button
              type="button"
              class="button"
              onClick={() =>
                run(async () => {
                  await navigator.clipboard.writeText(m.text);
                  status.value = t("actions.copied");
                })}
            >
              {t("actions.copy")}
            </button>
          )}
          {actions.canSend && canEdit(m) && (
            <button
              type="button"
              class="button"
              onClick={() =>
                run(() => actions.onEdit(m), false)}
            >
              {t("actions.edit")}
            </button>
          )}
          {confirming.value === null
            ? (
              <>
                <button
                  type="button"
                  class="button"
                  onClick={() => confirming.value = "me"}
                >
                  {t("actions.delete_for_me")}
                </button>
                {actions.canSend && m.direction === "out" && !deleted && (
                  <button
                    type="button"
                    class="button danger-outline"
                    onClick={() => confirming.value = "both"}
                  >
                    {t("actions.delete_for_both")}
                  </button>
                )}
              </>
            )
            : (
              <div class="actions-confirm" role="group" aria-label={t("actions.confirm_label")}>
                <p>
                  {confirming.value === "me" ? t("actions.confirm_me") : t("actions.confirm_both")}
                </p>
                <button
                  type="button"
                  class="button danger"
                  onClick={() =>
                    run(() =>
                      confirming.value === "me"
                        ? actions.deleteForMe(m.id)
                        : actions.deleteForBoth(m.id), false)}
                >
                  {t("actions.delete")}
                </button>
                <button
                  type="button"
                  ref={cancel}
                  class="button"
                  onClick={() => confirming.value = null}
                >
                  {t("actions.cancel")}
                </button>
              </div>
            )}
        </div>
      )}
      <p class="actions-status" role="status">{status.value}</p>
    </div>
  );
}
