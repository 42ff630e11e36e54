import { useSignal } from "../../lib/web/use_signal.ts";
import { useEffect, useRef } from "preact/hooks";
import { type LocalNames, MAX_NAME_LENGTH } from "../../lib/client/local_names.ts";
import { t } from "../../lib/i18n/i18n.ts";

/** Props of {@linkcode NameForm}. */
export interface NameFormProps {
  names: LocalNames;
  /** Distinguishes the fields' IDs when several editors could be on one page. */
  idPrefix: string;
  /** The form's accessible name, e.g. "Rename conversation". */
  label: string;
  onSave(names: LocalNames): void;
  /** Closes the form (after a save too); focus goes back to the button that opened it. */
  onClose(): void;
}

/**
 * The small form "Rename" opens (see `NameEditor.tsx`): the conversation's
 * name and the other person's, kept in this browser only. Its code is
 * fetched when a person first reaches for the button. Focus starts in the
 * first field; Escape or Cancel closes it.
 */
export function NameForm(props: NameFormProps) {
  const conversation = useSignal(props.names.conversation);
  const peer = useSignal(props.names.peer);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const id = props.idPrefix;
  return (
    <form
      class="name-editor"
      aria-label={props.label}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          props.onClose();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave({ conversation: conversation.value, peer: peer.value });
        props.onClose();
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
        <button class="button" type="button" onClick={props.onClose}>{t("common.cancel")}</button>
      </div>
    </form>
  );
}
