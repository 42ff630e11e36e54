/**
 * Human wording for times and durations in the UI, in the active language
 * (`locales/<tag>/time.json`, with ICU plurals; dates by `Intl`).
 *
 * @module
 */
import { t } from "../i18n/i18n.ts";
import { formatDate } from "../i18n/formats.ts";

/** The lifetimes offered when creating a conversation, in seconds; `label` is read in the active language. */
export const LIFETIME_CHOICES: readonly { readonly seconds: number; readonly label: string }[] = [
  60 * 60,
  24 * 60 * 60,
  7 * 24 * 60 * 60,
  30 * 24 * 60 * 60,
].map((seconds) => ({
  seconds,
  get label() {
    return durationLabel(seconds);
  },
}));

/**
 * A duration such as "5 minutes", "1 hour", "1 week" or "30 days": the
 * largest whole unit that fits, in the active language.
 */
export function durationLabel(seconds: number): string {
  const units: [number, string][] = [
    [604800, "time.weeks"],
    [86400, "time.days"],
    [3600, "time.hours"],
    [60, "time.minutes"],
  ];
  for (const [size, key] of units) {
    if (seconds >= size && seconds % size === 0) return t(key, { n: seconds / size });
  }
  return t("time.seconds", { n: seconds });
}

/** A clock time for a message: "14:05", or with the date when not today. */
export function formatMessageTime(ms: number, now = Date.now()): string {
  const sameDay = new Date(now).toDateString() === new Date(ms).toDateString();
  return sameDay
    ? formatDate(ms, { hour: "2-digit", minute: "2-digit" })
    : formatDate(ms, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
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
    [86400, "time.in_days", 23.5 * 3600],
    [3600, "time.in_hours", 59.5 * 60],
    [60, "time.in_minutes", 59.5],
  ];
  for (const [size, key, from] of units) {
    if (seconds >= from) {
      return t(key, { n: Math.max(1, Math.round(seconds / size)) });
    }
  }
  return seconds > 0 ? t("time.in_less_than_a_minute") : t("time.now");
}

/** The disappearing-message choices, in seconds (0: off). */
export const TIMER_CHOICES: readonly number[] = [0, 300, 3600, 86400, 604800];

/** A disappearing-message choice as shown: "Off", "5 minutes", "1 hour"… */
export function timerLabel(seconds: number): string {
  return seconds === 0 ? t("time.off") : durationLabel(seconds);
}

/** "You set disappearing messages to 1 hour", or "They turned off disappearing messages". */
export function describeTimerChange(seconds: number, byMe: boolean): string {
  if (seconds === 0) return t(byMe ? "time.timer_off_by_you" : "time.timer_off_by_them");
  const duration = durationLabel(seconds);
  return t(byMe ? "time.timer_set_by_you" : "time.timer_set_by_them", { duration });
}
