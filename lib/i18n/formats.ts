/**
 * Dates and durations in the active language, by the platform's own `Intl`
 * formatters (no library); numbers and sizes, which only on-demand parts
 * show, are in `format_sizes.ts`. Safety numbers never come
 * here: their digit groups stay Western digits in every language, since
 * they are compared across devices.
 *
 * @module
 */
import { locale } from "./i18n.ts";

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

/** The formatter `make` gives for the active language and `options`, made once. */
export function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  kind: string,
  options: object,
  make: (tag: string) => T,
): T {
  const tag = locale();
  const key = `${kind}|${tag}|${JSON.stringify(options)}`;
  let format = cache.get(key) as T | undefined;
  if (!format) cache.set(key, format = make(tag));
  return format;
}

/** A date and/or time in the active language. */
export function formatDate(ms: number, options: Intl.DateTimeFormatOptions): string {
  return cached("d", options, (tag) => new Intl.DateTimeFormat(tag, options)).format(ms);
}

/** "in 3 days", "2 hours ago": a relative time in the active language. */
export function formatRelative(value: number, unit: Intl.RelativeTimeFormatUnit): string {
  const options = { numeric: "auto" } as const;
  return cached("r", options, (tag) => new Intl.RelativeTimeFormat(tag, options)).format(
    value,
    unit,
  );
}

/** A duration such as "1:05" or "1:02:03" (minutes and seconds, hours when needed), Western digits. */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
