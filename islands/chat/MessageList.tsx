import { t } from "../../lib/i18n/i18n.ts";
import { useRef } from "preact/hooks";
import { describeTimerChange, formatMessageTime, timerLabel } from "../../lib/client/format.ts";
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
      aria-label={t("chat.messages")}
      tabIndex={0}
    >
      {messages.length === 0
        ? <p class="muted">{t("chat.no_messages")}</p>
        : (
          <ol class="message-items">
            {messages.map((m) => [
              ...(timeline.before.get(m.id) ?? []).map((item) => (
                <TimelineLine key={item.key} item={item} />
              )),
              m.kind === "reset"
                ? (
                  <li key={m.id} class="notice-line" data-kind="reset">
                    {m.direction === "out" && (m.status === "pending" || m.status === "sent")
                      ? t("chat.reset_line_waiting")
                      : t("chat.reset_line")}
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
                    {m.direction === "out" && (m.status === "pending" || m.status === "sent")
                      ? t("chat.not_yet_received", {
                        change: describeTimerChange(m.timer ?? 0, true),
                      })
                      : describeTimerChange(m.timer ?? 0, m.direction === "out")}
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
                        {m.direction === "out" ? t("chat.you_wrote") : t("chat.they_wrote")}
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
                          <span class="edited">{t("chat.edited")}</span>
                        )}
                        {m.expiresIn > 0 && (
                          <span
                            class="expires"
                            title={t("chat.disappears_after", {
                              duration: timerLabel(m.expiresIn),
                            })}
                          >
                            {t("chat.disappears", { duration: timerLabel(m.expiresIn) })}
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
