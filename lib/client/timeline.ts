/**
 * What the history shows besides messages: a line for each new day
 * ("Today", "Yesterday", a date) and local lines for who joined when. The
 * joined lines are derived from what this browser already keeps (the
 * conversation's creation and the first "hello" of each side); nothing about
 * them is stored or sent.
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { formatDate } from "../i18n/formats.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

/** A local line of the history: who started or joined, and when. */
export interface HistoryEvent {
  /** Stable key for rendering. */
  key: string;
  /** Milliseconds since the epoch. */
  at: number;
  text: string;
}

/** An item shown before a message: a day line or a local event line. */
export type TimelineItem =
  | { type: "day"; key: string; label: string; at: number }
  | { type: "event"; key: string; text: string; at: number };

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(ms: number): number {
  const date = new Date(ms);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** "Today", "Yesterday", or the date (with the year when it is not this year). */
export function dayLabel(ms: number, now = Date.now()): string {
  const day = startOfDay(ms);
  const today = startOfDay(now);
  if (day === today) return t("time.today");
  // Days are not all 24 hours long (daylight saving): compare calendar days.
  if (day === startOfDay(today - DAY_MS / 2)) return t("time.yesterday");
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return formatDate(ms, {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
  });
}

/**
 * The local lines of a conversation's history: "You started this
 * conversation" at its creation (the creator), "They joined" at the
 * creator's first hello from the peer, "You joined" at the joiner's own first
 * hello.
 */
export function localEvents(
  conversation: Pick<StoredConversation, "role" | "createdAt">,
  messages: readonly Pick<StoredMessage, "kind" | "direction" | "sentAt">[],
): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const firstHello = (direction: "in" | "out") =>
    messages.filter((m) => m.kind === "hello" && m.direction === direction)
      .reduce<number | null>((min, m) => min === null ? m.sentAt : Math.min(min, m.sentAt), null);
  if (conversation.role === "creator") {
    const created = Date.parse(conversation.createdAt);
    if (Number.isFinite(created)) {
      events.push({ key: "started", at: created, text: t("chat.you_started") });
    }
    const joined = firstHello("in");
    if (joined !== null) {
      events.push({ key: "they-joined", at: joined, text: t("chat.they_joined") });
    }
  } else {
    const joined = firstHello("out");
    if (joined !== null) events.push({ key: "you-joined", at: joined, text: t("chat.you_joined") });
  }
  return events.sort((a, b) => a.at - b.at);
}

/**
 * The day lines and event lines that go before each message (by message ID),
 * and those after the last one. Messages are in history order; an event
 * goes before the first message sent after it.
 */
export function timelineItems(
  messages: readonly Pick<StoredMessage, "id" | "sentAt">[],
  events: readonly HistoryEvent[],
  now = Date.now(),
): { before: Map<string, TimelineItem[]>; after: TimelineItem[] } {
  const before = new Map<string, TimelineItem[]>();
  const pending = [...events].sort((a, b) => a.at - b.at);
  let lastDay: number | null = null;
  const place = (items: TimelineItem[], at: number) => {
    const day = startOfDay(at);
    if (day !== lastDay) {
      lastDay = day;
      items.push({ type: "day", key: `day-${day}`, label: dayLabel(at, now), at: day });
    }
  };
  for (const message of messages) {
    const items: TimelineItem[] = [];
    while (pending.length > 0 && pending[0].at <= message.sentAt) {
      const event = pending.shift()!;
      place(items, event.at);
      items.push({ type: "event", key: event.key, text: event.text, at: event.at });
    }
    place(items, message.sentAt);
    if (items.length > 0) before.set(message.id, items);
  }
  const after: TimelineItem[] = [];
  for (const event of pending) {
    place(after, event.at);
    after.push({ type: "event", key: event.key, text: event.text, at: event.at });
  }
  return { before, after };
}
