import { useSignal } from "../../lib/web/use_signal.ts";
import { t } from "../../lib/i18n/i18n.ts";
import { useEffect, useRef } from "preact/hooks";
import { canEdit } from "../../lib/client/action_rules.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { REACTION_EMOJI } from "../../lib/crypto/payload_actions.ts";
import type { MessageActionHandlers } from "./MessageActionsMenu.tsx";
import { ComposerContext } from "./lazy_parts.ts";

/** Props of {@linkcode MessageActionsPanel}. */
export interface MessageActionsPanelProps {
  /** The panel's element ID, named by the toggle's `aria-controls`. */
  id: string;
  message: StoredMessage;
  actions: MessageActionHandlers;
  /** Runs an action, then closes the panel (refocusing the toggle unless told not to). */
  run(work: () => Promise<void> | void, refocus?: boolean): Promise<void>;
  /** Says something in the menu's status line. */
  onStatus(text: string): void;
}

/**
 * The panel the "…" beside a message opens (see `MessageActionsMenu.tsx`,
 * which keeps it open or closed): reactions, reply, copy, edit, and the two
 * deletes, each confirmed. Its code is fetched when first opened.
 */
export function MessageActionsPanel(
  { id, message: m, actions, run, onStatus }: MessageActionsPanelProps,
) {
  const confirming = useSignal<"me" | "both" | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const deleted = m.deleted === "both";
  const mine = m.reactions?.out?.emoji ?? "";

  // The newest message's panel opens below the list's edge: bring it in.
  // A reply or an edit starts here: what shows above the field comes now.
  useEffect(() => {
    root.current?.scrollIntoView({ block: "nearest" });
    if (actions.canSend) ComposerContext.preload().catch(() => {});
  }, []);

  // Asking to confirm moves focus to the safe answer.
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming.value !== null) cancel.current?.focus();
  }, [confirming.value]);

  return (
    <div id={id} ref={root} class="actions-panel" role="group" aria-label={t("actions.toggle")}>
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
              onStatus(t("actions.copied"));
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
  );
}
