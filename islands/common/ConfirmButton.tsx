import { useSignal } from "../../lib/web/use_signal.ts";
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { t } from "../../lib/i18n/i18n.ts";

/** Props of {@linkcode ConfirmButton}. */
export interface ConfirmButtonProps {
  /** The text of the button that asks. */
  label: string;
  /** Accessible name of the button that asks, when the text alone is ambiguous. */
  ariaLabel?: string;
  /** The question or warning shown while asking. */
  children: ComponentChildren;
  /** The text of the button that goes ahead. */
  confirmLabel: string;
  /** Shown on the confirm button while `onConfirm` runs. */
  busyLabel?: string;
  /** Red buttons for what cannot be undone. */
  danger?: boolean;
  /** Class of the button that asks. */
  class?: string;
  onConfirm(): unknown;
}

/**
 * A button that asks once more before acting. While asking, focus moves to
 * "Cancel"; Escape or Cancel closes the question and returns focus to the
 * button that opened it.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const asking = useSignal(false);
  const busy = useSignal(false);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useLayoutEffect(() => {
    if (asking.value) cancel.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      opener.current?.focus();
    }
  }, [asking.value]);

  function close() {
    returnFocus.current = true;
    asking.value = false;
  }

  if (!asking.value) {
    return (
      <button
        ref={opener}
        class={props.class ?? (props.danger ? "button danger-outline" : "button")}
        type="button"
        aria-label={props.ariaLabel}
        onClick={() => asking.value = true}
      >
        {props.label}
      </button>
    );
  }
  return (
    <div
      class="confirm"
      role="group"
      aria-label={props.ariaLabel ?? props.label}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy.value) {
          e.preventDefault();
          close();
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
              asking.value = false;
            }
          }}
        >
          {busy.value ? props.busyLabel ?? props.confirmLabel : props.confirmLabel}
        </button>
        <button ref={cancel} class="button" type="button" disabled={busy.value} onClick={close}>
          {t("common.cancel")}
        </button>
      </span>
    </div>
  );
}
