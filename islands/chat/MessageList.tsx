import { useRef } from "preact/hooks";
import { describeTimerChange, formatMessageTime, TIMER_LABELS } from "../../lib/client/format.ts";
import type { StoredMessage } from "../../lib/client/storage.ts";
import { type MessageActionHandlers, MessageActionsMenu } from "./MessageActionsMenu.tsx";
import { MessageBody } from "./MessageBody.tsx";
import { MessageStatus } from "./MessageStatus.tsx";
import { type HistoryEvent, timelineItems } from "../../lib/client/timeline.ts";
import { TimelineLine } from "./TimelineLine.tsx";

/** Props of {@linkcode MessageList}. */
export interface MessageListProps {
  messages: StoredMessage[];
  /** Outgoing files being sent: message ID → chunks sent. */
  transfers: Record<string, number>;
  getFile(id: string): Promise<Blob | undefined>;
  /** Reply, react, copy, edit and delete, offered beside each message when given. */
  actions?: MessageActionHandlers;
  /** The scrolling element, for the scroll behaviour the caller keeps (`use_list_scroll.ts`). */
  listRef?: { current: HTMLDivElement | null };
  /** Local lines (who joined when), placed among the messages by time. */
  events?: HistoryEvent[];
  /** Cancels a file on its way, on both sides. */
  cancelFile?(id: string, how?: "cancel" | "decline"): void;
}

/**
 * The history, oldest first; text is rendered as text, never as HTML. The
 * region is a polite live log that announces new messages only, not status
 * changes, and is always present so the first message is announced too.
 */
export function MessageList(
  { messages, transfers, getFile, actions, listRef, events = [], cancelFile }: MessageListProps,
) {
  const own = useRef<HTMLDivElement>(null);
  const list = listRef ?? own;
  // Day lines and local lines go before the message they precede.
  const timeline = timelineItems(messages, events);
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
            {messages.map((m) => [
              ...(timeline.before.get(m.id) ?? []).map((item) => (
                <TimelineLine key={item.key} item={item} />
              )),
              m.kind === "reset"
                ? (
                  <li key={m.id} class="notice-line" data-kind="reset">
                    The secure session was reset
                    {m.direction === "out" && (m.status === "pending" || m.status === "sent") &&
                      " (waiting for the other person)"}
                  </li>
                )
                : m.kind === "call"
                ? (
                  <li key={m.id} class="notice-line" data-kind="call">
                    {m.text}
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
                    data-id={m.id}
                    class={`message ${m.direction}`}
                    data-status={m.status}
                    data-kind={m.kind}
                  >
                    <div class="bubble">
                      <span class="visually-hidden">
                        {m.direction === "out" ? "You wrote:" : "They wrote:"}
                      </span>
                      <MessageBody
                        message={m}
                        messages={messages}
                        sent={transfers[m.id]}
                        getFile={getFile}
                        cancelFile={cancelFile}
                      />
                      <p class="meta">
                        <time dateTime={new Date(m.sentAt).toISOString()}>
                          {formatMessageTime(m.sentAt)}
                        </time>
                        {m.edited !== undefined && m.deleted === undefined && (
                          <span class="edited">Edited</span>
                        )}
                        {m.expiresIn > 0 && (
                          <span
                            class="expires"
                            title={`Disappears after ${TIMER_LABELS[m.expiresIn]}`}
                          >
                            Disappears · {TIMER_LABELS[m.expiresIn]}
                          </span>
                        )}
                        {m.direction === "out" && !m.file?.cancelled && (
                          <MessageStatus status={m.status} />
                        )}
                      </p>
                    </div>
                    {actions !== undefined && <MessageActionsMenu message={m} actions={actions} />}
                  </li>
                ),
            ])}
            {timeline.after.map((item) => <TimelineLine key={item.key} item={item} />)}
          </ol>
        )}
    </div>
  );
}
