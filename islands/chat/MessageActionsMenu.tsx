import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useRef } from "preact/hooks";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { MessageActionsPanel } from "./lazy_parts.ts";
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
  const status = useSignal("");
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = `actions-${m.id}`;

  function close(refocus = true) {
    open.value = false;
    if (refocus) toggle.current?.focus();
  }

  useEffect(() => {
    if (!open.value) return;
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
        // The panel's code arrives while the pointer is on its way.
        onPointerEnter={() => void MessageActionsPanel.preload().catch(() => {})}
      >
        <span aria-hidden="true">…</span>
      </button>
      {open.value && (
        <MessageActionsPanel
          id={panelId}
          message={m}
          actions={actions}
          run={run}
          onStatus={(text) => status.value = text}
        />
      )}
      <p class="actions-status" role="status">{status.value}</p>
    </div>
  );
}
