import { useEffect, useRef } from "preact/hooks";
import { describeTimerChange, formatMessageTime, TIMER_LABELS } from "../../lib/client/format.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { FileBubble } from "./FileBubble.tsx";

/** Props of {@linkcode MessageList}. */
export interface MessageListProps {
  messages: StoredMessage[];
  /** Outgoing files being sent: message ID → chunks sent. */
  transfers: Record<string, number>;
  getFile(id: string): Promise<Blob | undefined>;
  /** Cancels a file on its way, on both sides. */
  cancelFile?(id: string): void;
}

const STATUS_LABELS: Record<StoredMessage["status"], string> = {
  pending: "Waiting to send",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  receiving: "",
  received: "",
  refused: "",
};

/**
 * The history, oldest first; text is rendered as text, never as HTML. The
 * region is a polite live log that announces new messages only, not status
 * changes, and is always present so the first message is announced too.
 */
export function MessageList({ messages, transfers, getFile, cancelFile }: MessageListProps) {
  const list = useRef<HTMLDivElement>(null);
  // Lands on the newest message; scrolls only the list, never the page or the
  // panels above it (scrollIntoView would move every scrolling ancestor).
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messages.length]);
  return (
    <div
      ref={list}
      class={messages.length === 0 ? "messages empty" : "messages"}
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label="Messages"
      tabIndex={0}
    >
      {messages.length === 0
        ? (
          <p class="muted">
            No messages yet. What you write is encrypted before it leaves this browser.
          </p>
        )
        : (
          <ol class="message-items">
            {messages.map((m) =>
              m.kind === "reset"
                ? (
                  <li key={m.id} class="notice-line" data-kind="reset">
                    The secure session was reset
                    {m.direction === "out" && (m.status === "pending" || m.status === "sent") &&
                      " (waiting for the other person)"}
                  </li>
                )
                : m.kind === "timer"
                ? (
                  <li key={m.id} class="notice-line" data-kind="timer">
                    {describeTimerChange(m.timer ?? 0, m.direction === "out")}
                    {m.direction === "out" && (m.status === "pending" || m.status === "sent") &&
                      " (not yet received by the other person)"}
                  </li>
                )
                : (
                  <li
                    key={m.id}
                    class={`message ${m.direction}`}
                    data-status={m.status}
                    data-kind={m.kind}
                  >
                    <div class="bubble">
                      <span class="visually-hidden">
                        {m.direction === "out" ? "You wrote:" : "They wrote:"}
                      </span>
                      {m.kind === "file"
                        ? (
                          <FileBubble
                            message={m}
                            sent={transfers[m.id]}
                            getFile={getFile}
                            onCancel={cancelFile}
                          />
                        )
                        : <p class="text" dir="auto">{m.text}</p>}
                      <p class="meta">
                        <time dateTime={new Date(m.sentAt).toISOString()}>
                          {formatMessageTime(m.sentAt)}
                        </time>
                        {m.expiresIn > 0 && (
                          <span
                            class="expires"
                            title={`Disappears after ${TIMER_LABELS[m.expiresIn]}`}
                          >
                            Disappears · {TIMER_LABELS[m.expiresIn]}
                          </span>
                        )}
                        {m.direction === "out" && !m.file?.cancelled && (
                          <span class={`status status-${m.status}`}>{STATUS_LABELS[m.status]}</span>
                        )}
                      </p>
                    </div>
                  </li>
                )
            )}
          </ol>
        )}
    </div>
  );
}
