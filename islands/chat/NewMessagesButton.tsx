import { t } from "../../lib/i18n/i18n.ts";
/** Props of {@linkcode NewMessagesButton}. */
export interface NewMessagesButtonProps {
  /** Messages that arrived while the person had scrolled up. */
  count: number;
  onClick(): void;
}

/**
 * "3 new messages ↓": shown over the end of the message list while the
 * person has scrolled up and messages arrived; takes them to the newest.
 * A real button, so it is in the tab order and says what it does.
 */
export function NewMessagesButton({ count, onClick }: NewMessagesButtonProps) {
  if (count === 0) return null;
  const label = t("chat.new_messages", { count });
  return (
    <div class="jump-newest-anchor">
      <button
        type="button"
        class="button jump-newest"
        data-testid="new-messages"
        aria-label={t("chat.new_messages_go", { count })}
        onClick={onClick}
      >
        {label} <span aria-hidden="true">↓</span>
      </button>
    </div>
  );
}
