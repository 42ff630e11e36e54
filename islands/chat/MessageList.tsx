import { useEffect, useRef } from "preact/hooks";
import { formatMessageTime } from "../../lib/client/format.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";

/** Props of {@linkcode MessageList}. */
export interface MessageListProps {
  messages: StoredMessage[];
}

const STATUS_LABELS = {
  pending: "Waiting to send",
  sent: "Sent",
  delivered: "Delivered",
  received: "",
};

/** The history, oldest first; text is rendered as text, never as HTML. */
export function MessageList({ messages }: MessageListProps) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [messages.length]);
  if (messages.length === 0) {
    return (
      <div class="messages empty">
        <p class="muted">
          No messages yet. What you write is encrypted before it leaves this browser.
        </p>
      </div>
    );
  }
  return (
    <ol class="messages" role="log" aria-live="polite" aria-label="Messages">
      {messages.map((m) => (
        <li key={m.id} class={`message ${m.direction}`} data-status={m.status}>
          <div class="bubble">
            <p class="text">{m.text}</p>
            <p class="meta">
              <time dateTime={new Date(m.sentAt).toISOString()}>{formatMessageTime(m.sentAt)}</time>
              {m.direction === "out" && (
                <span class={`status status-${m.status}`}>{STATUS_LABELS[m.status]}</span>
              )}
            </p>
          </div>
        </li>
      ))}
      <li ref={end} class="end" aria-hidden="true" />
    </ol>
  );
}
