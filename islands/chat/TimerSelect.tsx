import { t } from "../../lib/i18n/i18n.ts";
import { useSignal } from "../../lib/web/use_signal.ts";
import { useRef } from "preact/hooks";
import { TIMER_CHOICES, timerLabel } from "../../lib/client/format.ts";

/** Props of {@linkcode TimerSelect}. */
export interface TimerSelectProps {
  /** The timer both people agreed on, in seconds. */
  value: number;
  disabled: boolean;
  /** Sets the timer for both people; called once per choice. */
  onCommit(seconds: number): void;
}

/** Keys that move through a closed select's options, changing its value as they go. */
const BROWSING_KEYS = /^(Arrow(Up|Down|Left|Right)|Home|End|Page(Up|Down)|.)$/;

/**
 * The disappearing-messages choice. A pick with the mouse (or touch) is set
 * at once; moving through the options with the keyboard only selects, and
 * Enter or leaving the field sets it, so each arrow key does not send a
 * change to the other person. While a choice waits, the agreed value is
 * said beside it.
 */
export function TimerSelect({ value, disabled, onCommit }: TimerSelectProps) {
  const draft = useSignal<number | null>(null);
  const browsing = useRef(false);

  function commit() {
    const chosen = draft.value;
    draft.value = null;
    if (chosen !== null && chosen !== value) onCommit(chosen);
  }

  return (
    <span class="timer-field">
      <select
        class="timer-select"
        aria-label={t("chat.disappearing_messages")}
        aria-describedby={draft.value !== null ? "timer-pending" : undefined}
        title={t("chat.disappearing_messages")}
        value={String(draft.value ?? value)}
        disabled={disabled}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          } else if (e.key === "Escape" && draft.value !== null) {
            e.stopPropagation();
            draft.value = null;
          } else if (BROWSING_KEYS.test(e.key) && !e.altKey) {
            browsing.current = true;
          }
        }}
        onChange={(e) => {
          const seconds = Number(e.currentTarget.value);
          if (browsing.current) {
            browsing.current = false;
            draft.value = seconds;
          } else {
            draft.value = seconds;
            commit();
          }
        }}
        onBlur={commit}
      >
        {TIMER_CHOICES.map((seconds) => (
          <option key={seconds} value={String(seconds)}>
            {seconds === 0
              ? t("chat.timer_option_off")
              : t("chat.timer_option", { duration: timerLabel(seconds) })}
          </option>
        ))}
      </select>
      {draft.value !== null && draft.value !== value && (
        <span id="timer-pending" class="timer-pending" data-testid="timer-pending">
          {t("chat.timer_pending", { duration: timerLabel(value) })}
        </span>
      )}
    </span>
  );
}
