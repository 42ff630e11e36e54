import { t } from "../../lib/i18n/i18n.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";

/** The words for each status of an outgoing message, for screen readers and the tooltip: catalogue keys. */
export const STATUS_WORDS: Partial<Record<StoredMessage["status"], string>> = {
  pending: "chat.status_pending",
  sent: "chat.status_sent",
  delivered: "chat.status_delivered",
  read: "chat.status_read",
  refused: "chat.status_refused",
};

/** One tick's path in a 16×16 box, shifted right by `dx`. */
function tick(dx: number) {
  return <path d={`M${1.5 + dx} 8.5l3 3 6.5-7`} />;
}

/**
 * The status of an outgoing message as compact ticks: one for sent, two for
 * delivered, two in the accent colour for read, a cross for not accepted.
 * "Waiting to send" stays in words, in full colour. The words are always
 * there for screen readers (visually hidden beside the ticks).
 */
export function MessageStatus({ status }: { status: StoredMessage["status"] }) {
  const key = STATUS_WORDS[status];
  if (key === undefined) return null;
  const words = t(key);
  if (status === "pending") {
    return (
      <span class="status status-pending" data-status-words={words}>
        <svg class="status-icon" viewBox="0 0 16 16" aria-hidden="true">
          <circle cx="8" cy="8" r="6" />
          <path d="M8 4.5V8l2.5 1.5" />
        </svg>
        {words}
      </span>
    );
  }
  return (
    <span class={`status status-${status}`} title={words} data-status-words={words}>
      <svg
        class="status-icon"
        viewBox={status === "sent" || status === "refused" ? "0 0 16 16" : "0 0 21 16"}
        aria-hidden="true"
      >
        {status === "refused" ? <path d="M4 4l8 8M12 4l-8 8" /> : status === "sent" ? tick(0) : (
          <>
            {tick(0)}
            {tick(5)}
          </>
        )}
      </svg>
      <span class="visually-hidden">{words}</span>
    </span>
  );
}
