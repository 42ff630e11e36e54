import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useRef } from "preact/hooks";
import type { LocalNames } from "../../lib/client/local_names.ts";
import { t } from "../../lib/i18n/i18n.ts";
import { NameForm } from "./lazy_forms.ts";

/** Props of {@linkcode NameEditor}. */
export interface NameEditorProps {
  names: LocalNames;
  /** Distinguishes the fields' IDs when several editors could be on one page. */
  idPrefix: string;
  /** What the button says to screen readers, e.g. "Rename conversation". */
  label: string;
  onSave(names: LocalNames): void;
}

/**
 * "Rename": a button that opens a small form for the conversation's name and
 * the other person's, kept in this browser only (`NameForm.tsx`, fetched as
 * the pointer or focus reaches the button). Escape or Cancel closes it and
 * gives focus back to the button.
 */
export function NameEditor(props: NameEditorProps) {
  const open = useSignal(false);
  const button = useRef<HTMLButtonElement>(null);
  // Set when the form closes, so focus goes back to the button once it is there again.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!open.value && returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [open.value]);

  if (!open.value) {
    const preload = () => void NameForm.preload().catch(() => {});
    return (
      <button
        ref={button}
        class="button rename-button"
        type="button"
        aria-label={props.label}
        aria-expanded="false"
        onPointerEnter={preload}
        onFocus={preload}
        onClick={() => open.value = true}
      >
        {t("common.rename")}
      </button>
    );
  }
  return (
    <NameForm
      names={props.names}
      idPrefix={props.idPrefix}
      label={props.label}
      onSave={props.onSave}
      onClose={() => {
        returnFocus.current = true;
        open.value = false;
      }}
    />
  );
}
