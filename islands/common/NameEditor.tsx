import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useRef } from "preact/hooks";
import { type LocalNames, MAX_NAME_LENGTH } from "../../lib/client/local_names.ts";
import { t } from "../../lib/i18n/i18n.ts";

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
 * the other person's, kept in this browser only. Escape or Cancel closes it
 * and gives focus back to the button.
 */
export function NameEditor(props: NameEditorProps) {
  const open = useSignal(false);
  const conversation = useSignal(props.names.conversation);
  const peer = useSignal(props.names.peer);
  const button = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLInputElement>(null);
  // Set when the form closes, so focus goes back to the button once it is there again.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (open.value) first.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [open.value]);

  function close() {
    returnFocus.current = true;
    open.value = false;
  }

  if (!open.value) {
    return (
      <button
        ref={button}
        class="button rename-button"
        type="button"
        aria-label={props.label}
        aria-expanded="false"
        onClick={() => {
          conversation.value = props.names.conversation;
          peer.value = props.names.peer;
          open.value = true;
        }}
      >
        {t("common.rename")}
      </button>
    );
  }
  const id = props.idPrefix;
  return (
    <form
      class="name-editor"
      aria-label={props.label}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          close();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave({ conversation: conversation.value, peer: peer.value });
        close();
      }}
    >
      <label for={`${id}-conversation`}>{t("common.conversation_name")}</label>
      <input
        ref={first}
        id={`${id}-conversation`}
        type="text"
        dir="auto"
        maxLength={MAX_NAME_LENGTH}
        autoComplete="off"
        value={conversation.value}
        onInput={(e) => conversation.value = e.currentTarget.value}
      />
      <label for={`${id}-peer`}>{t("common.their_name")}</label>
      <input
        id={`${id}-peer`}
        type="text"
        dir="auto"
        maxLength={MAX_NAME_LENGTH}
        autoComplete="off"
        value={peer.value}
        onInput={(e) => peer.value = e.currentTarget.value}
      />
      <p class="muted name-note">{t("common.names_note")}</p>
      <div class="name-actions">
        <button class="button primary" type="submit">{t("common.save")}</button>
        <button class="button" type="button" onClick={close}>{t("common.cancel")}</button>
      </div>
    </form>
  );
}
