/** Human wording for times and durations in the UI. */

/** The lifetimes offered when creating a conversation, in seconds. */
export const LIFETIME_CHOICES: { seconds: number; label: string }[] = [
  { seconds: 60 * 60, label: "1 hour" },
  { seconds: 24 * 60 * 60, label: "1 day" },
  { seconds: 7 * 24 * 60 * 60, label: "1 week" },
  { seconds: 30 * 24 * 60 * 60, label: "30 days" },
];

/** A clock time for a message: "14:05", or with the date when not today. */
export function formatMessageTime(ms: number, now = Date.now()): string {
  const date = new Date(ms);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString(undefined, {
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
}

/** "in 3 days", "in 5 hours", "in 12 minutes", or "now" for an instant. */
export function formatRemaining(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (Date.parse(iso) - now) / 1000);
  const units: [number, string][] = [[86400, "day"], [3600, "hour"], [60, "minute"]];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `in ${count} ${name}${count === 1 ? "" : "s"}`;
    }
  }
  return seconds > 0 ? "in less than a minute" : "now";
}

/** The disappearing-message choices, as shown. */
export const TIMER_LABELS: Record<number, string> = {
  0: "Off",
  300: "5 minutes",
  3600: "1 hour",
  86400: "1 day",
  604800: "1 week",
};

/** "You turned on disappearing messages: 1 hour", or "They turned off …". */
export function describeTimerChange(seconds: number, byMe: boolean): string {
  const who = byMe ? "You" : "They";
  return seconds === 0
    ? `${who} turned off disappearing messages`
    : `${who} set disappearing messages to ${TIMER_LABELS[seconds] ?? `${seconds} seconds`}`;
}
