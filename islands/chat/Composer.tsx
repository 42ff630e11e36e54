import { t } from "../../lib/i18n/i18n.ts";
import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "../../lib/web/use_signal.ts";
import type { ComposerMode } from "./ComposerContext.tsx";
import { ComposerContext } from "./lazy_parts.ts";

/** Props of {@linkcode Composer}. */
export interface ComposerProps {
  disabled: boolean;
  /** Why writing is off, shown under the field. */
  reason: string | null;
  /** Sends `text`, as a reply or an edit when `mode` says so. */
  onSend(text: string, mode: ComposerMode | null): Promise<unknown>;
  /** Files picked or pasted; the caller sends them and reports errors. */
  onFiles(files: File[]): void;
  /** The person started (true) or stopped (false) typing. */
  onTyping(active: boolean): void;
  /** Replying to or editing a message; shown above the field with a way out. */
  mode?: ComposerMode | null;
  /** Sets what the composer is doing: null ends a reply or an edit. */
  onMode?(mode: ComposerMode | null): void;
}

/** The message field: Enter sends, Shift+Enter starts a new line. */
export function Composer(props: ComposerProps) {
  const text = useSignal("");
  const error = useSignal<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const mode = props.mode ?? null;
  // Editing starts from the message's text (and leaves none behind); replying keeps what is written.
  const wasEditing = useRef(false);
  // The text of a send that failed, given back with its mode (instead of the message's own).
  const givenBack = useRef<string | null>(null);
  useEffect(() => {
    if (wasEditing.current && mode?.kind !== "edit") text.value = "";
    wasEditing.current = mode?.kind === "edit";
    if (mode === null) return;
    if (mode.kind === "edit") text.value = givenBack.current ?? mode.message.text;
    givenBack.current = null;
    field.current?.focus();
  }, [mode?.kind, mode?.message.id]);

  function cancelMode() {
    if (mode?.kind === "edit") text.value = "";
    props.onMode?.(null);
    field.current?.focus();
  }

  async function send() {
    const value = text.value;
    if (value.trim() === "" || props.disabled) return;
    // The field empties at once, and a reply or an edit ends with its send,
    // so what is written next, even before the send ends, is a new message.
    const sent = mode;
    text.value = "";
    wasEditing.current = false;
    if (sent !== null) props.onMode?.(null);
    try {
      props.onTyping(false);
      await props.onSend(value, sent);
      error.value = null;
    } catch (e) {
      // Given back to mend or to try again, unless something new was written
      // meanwhile. (A message too long fails before anything is stored, so
      // at once, before anything else could begin.)
      if (text.value === "") {
        text.value = value;
        if (sent?.kind === "edit") givenBack.current = value;
        if (sent !== null) props.onMode?.(sent);
      }
      // A message too long is the one failure a person can mend; the rest is said plainly.
      error.value = t(e instanceof RangeError ? "chat.send_too_long" : "chat.send_failed");
      if (!(e instanceof RangeError)) console.error(e);
    }
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {mode !== null && <ComposerContext mode={mode} onCancel={cancelMode} />}
      <label for="message" class="visually-hidden">{t("chat.message")}</label>
      <textarea
        ref={field}
        id="message"
        dir="auto"
        rows={1}
        placeholder={props.disabled ? t("chat.sending_off") : t("chat.write_message")}
        disabled={props.disabled}
        value={text.value}
        onInput={(e) => {
          text.value = (e.currentTarget as HTMLTextAreaElement).value;
          props.onTyping(text.value !== "");
        }}
        onBlur={() => props.onTyping(false)}
        onPaste={(e) => {
          const files = [...(e.clipboardData?.files ?? [])];
          if (files.length > 0 && !props.disabled) {
            e.preventDefault();
            props.onFiles(files);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape" && mode !== null) {
            e.preventDefault();
            cancelMode();
          }
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
        aria-describedby="composer-hint"
      />
      <label
        class={props.disabled ? "button attach disabled" : "button attach"}
        title={t("chat.send_file")}
      >
        <input
          type="file"
          id="attach"
          class="visually-hidden"
          multiple
          disabled={props.disabled}
          onChange={(e) => {
            const input = e.currentTarget;
            const files = [...(input.files ?? [])];
            input.value = "";
            if (files.length > 0) props.onFiles(files);
          }}
        />
        <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        <span class="visually-hidden">{t("chat.attach_file")}</span>
      </label>
      <button
        class="button primary send"
        type="submit"
        disabled={props.disabled}
        aria-label={mode?.kind === "edit" ? t("chat.save_edit") : t("chat.send")}
      >
        {mode?.kind === "edit" ? t("chat.save") : t("chat.send")}
      </button>
      <p id="composer-hint" class="hint" role={error.value ? "alert" : undefined}>
        {error.value ?? props.reason ?? (
          <>
            {/* Phones have no Shift key to speak of: they get the touch wording. */}
            <span class="hint-keys">{t("chat.hint_keys")}</span>
            <span class="hint-touch">{t("chat.hint_touch")}</span>
          </>
        )}
      </p>
    </form>
  );
}
