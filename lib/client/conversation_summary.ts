/**
 * What the list of conversations shows of each: the last message as a
 * short preview, how many received messages are unread, and when the last
 * message was sent. Read from what this browser keeps; nothing is fetched.
 *
 * @module
 */
import { describeTimerChange } from "./format.ts";
import { formatDate } from "../i18n/formats.ts";
import { t } from "../i18n/i18n.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

/** Longest preview, in characters. */
export const PREVIEW_LENGTH = 80;

/** One conversation as the list shows it. */
export interface ConversationSummary {
  /** The last visible message, shortened; null when there is none. */
  preview: string | null;
  /** Whether this browser's person wrote the last message. */
  previewFromMe: boolean;
  /** Received messages not yet read. */
  unread: number;
  /** When the last message was sent, or the conversation created (ms since the epoch). */
  lastAt: number;
}

/** What a message says in a preview, or null for one never shown (the hello). */
function previewOf(message: StoredMessage): string | null {
  switch (message.kind) {
    case "text":
      return message.text.replace(/\s+/g, " ").trim();
    case "file":
      return message.file?.name
        ? t("home.preview_file", { name: message.file.name })
        : t("home.preview_file_unnamed");
    case "timer":
      return describeTimerChange(message.timer ?? 0, message.direction === "out");
    case "reset":
      return t("home.preview_reset");
    default:
      return null;
  }
}

/** Summarizes one conversation from its stored messages (oldest first). */
export function summarize(
  conversation: Pick<StoredConversation, "createdAt">,
  messages: readonly StoredMessage[],
): ConversationSummary {
  let unread = 0;
  let last: { message: StoredMessage; text: string } | null = null;
  for (const message of messages) {
    const text = previewOf(message);
    if (text === null) continue;
    if (message.direction === "in" && message.status === "received") unread++;
    if (last === null || message.sentAt >= last.message.sentAt) last = { message, text };
  }
  const chars = last === null ? [] : [...last.text];
  return {
    preview: last === null
      ? null
      : chars.length > PREVIEW_LENGTH
      ? chars.slice(0, PREVIEW_LENGTH - 1).join("") + "…"
      : last.text,
    previewFromMe: last?.message.direction === "out",
    unread,
    lastAt: last?.message.sentAt ?? Date.parse(conversation.createdAt),
  };
}

/** The time of a list entry: "14:05" today, "Yesterday", else a short date. */
export function formatListTime(ms: number, now = Date.now()): string {
  const date = new Date(ms);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return formatDate(ms, { hour: "2-digit", minute: "2-digit" });
  }
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (date.toDateString() === yesterday.toDateString()) return t("home.yesterday");
  return formatDate(ms, {
    day: "numeric",
    month: "short",
    ...(date.getFullYear() === today.getFullYear() ? {} : { year: "numeric" }),
  });
}
