import { useSignal } from "../../lib/web/use_signal.ts";
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { ConfirmQuestion } from "./lazy_forms.ts";

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
 * A button that asks once more before acting (the question is
 * `ConfirmQuestion.tsx`, fetched as the pointer or focus reaches the button).
 * While asking, focus moves to "Cancel"; Escape or Cancel closes the question
 * and returns focus to the button that opened it.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const asking = useSignal(false);
  const opener = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useLayoutEffect(() => {
    if (!asking.value && returnFocus.current) {
      returnFocus.current = false;
      opener.current?.focus();
    }
  }, [asking.value]);

  if (!asking.value) {
    const preload = () => void ConfirmQuestion.preload().catch(() => {});
    return (
      <button
        ref={opener}
        class={props.class ?? (props.danger ? "button danger-outline" : "button")}
        type="button"
        aria-label={props.ariaLabel}
        onPointerEnter={preload}
        onFocus={preload}
        onClick={() => asking.value = true}
      >
        {props.label}
      </button>
    );
  }
  return (
    <ConfirmQuestion
      label={props.ariaLabel ?? props.label}
      confirmLabel={props.confirmLabel}
      busyLabel={props.busyLabel}
      danger={props.danger}
      onConfirm={props.onConfirm}
      onCancel={() => {
        returnFocus.current = true;
        asking.value = false;
      }}
      onDone={() => asking.value = false}
    >
      {props.children}
    </ConfirmQuestion>
  );
}
