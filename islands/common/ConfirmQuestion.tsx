import { useSignal } from "../../lib/web/use_signal.ts";
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { t } from "../../lib/i18n/i18n.ts";

/** Props of {@linkcode ConfirmQuestion}. */
export interface ConfirmQuestionProps {
  /** The group's accessible name. */
  label: string;
  /** The question or warning. */
  children: ComponentChildren;
  /** The text of the button that goes ahead. */
  confirmLabel: string;
  /** Shown on the confirm button while `onConfirm` runs. */
  busyLabel?: string;
  /** A red button for what cannot be undone. */
  danger?: boolean;
  onConfirm(): unknown;
  /** Cancel or Escape: the question closes and focus returns to the button that asked. */
  onCancel(): void;
  /** After `onConfirm` ran (or failed): the question closes. */
  onDone(): void;
}

/**
 * The question a `ConfirmButton` asks once more before acting, fetched when
 * the pointer or focus reaches that button. Focus starts on "Cancel".
 */
export function ConfirmQuestion(props: ConfirmQuestionProps) {
  const busy = useSignal(false);
  const cancel = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => cancel.current?.focus(), []);
  return (
    <div
      class="confirm"
      role="group"
      aria-label={props.label}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy.value) {
          e.preventDefault();
          props.onCancel();
        }
      }}
    >
      <span class="confirm-text">{props.children}</span>
      <span class="confirm-actions">
        <button
          class={props.danger ? "button danger" : "button primary"}
          type="button"
          disabled={busy.value}
          onClick={async () => {
            busy.value = true;
            try {
              await props.onConfirm();
            } finally {
              busy.value = false;
              props.onDone();
            }
          }}
        >
          {busy.value ? props.busyLabel ?? props.confirmLabel : props.confirmLabel}
        </button>
        <button
          ref={cancel}
          class="button"
          type="button"
          disabled={busy.value}
          onClick={props.onCancel}
        >
          {t("common.cancel")}
        </button>
      </span>
    </div>
  );
}
