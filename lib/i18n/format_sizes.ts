/**
 * Numbers and sizes in the active language, by the platform's own `Intl`
 * formatters: for files and storage, which the chat page fetches when first
 * needed. Kept apart from `formats.ts`, which every page loads.
 *
 * @module
 */
import { cached } from "./formats.ts";

/** A number in the active language, such as "1,234" or "1.234". */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached("n", options, (tag) => new Intl.NumberFormat(tag, options)).format(value);
}

const BYTE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

/** A size such as "2.5 MB" in the active language (decimal units, one decimal from 1 kB). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const options: Intl.NumberFormatOptions = {
    style: "unit",
    unit: BYTE_UNITS[unit],
    // Bytes in full: the short form reads "390 byte" in English.
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  };
  return cached("n", options, (tag) => new Intl.NumberFormat(tag, options)).format(value);
}
