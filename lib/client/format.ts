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

/**
 * "in 3 days", "in 5 hours", "in 12 minutes", "in less than a minute", or
 * "now". Rounded to the nearest unit, and a unit is used from half a step
 * of the unit below it: a fresh 1-day conversation (a few seconds
 * under 24 hours) reads "in 1 day", 23 h 40 min too, 23 h 20 min "in 23 hours".
 */
export function formatRemaining(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (Date.parse(iso) - now) / 1000);
  // Each unit with the time from which it is used: 23.5 hours, 59.5 minutes, 59.5 s.
  const units: [number, string, number][] = [
    [86400, "day", 23.5 * 3600],
    [3600, "hour", 59.5 * 60],
    [60, "minute", 59.5],
  ];
  for (const [size, name, from] of units) {
    if (seconds >= from) {
      const count = Math.max(1, Math.round(seconds / size));
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
