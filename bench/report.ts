/**
 * Figures over rounds (median and spread) and the one table of targets the
 * benchmark prints.
 *
 * @module
 */

/** A figure measured once per round, with its median and spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

/** The median, minimum and maximum of one figure over the rounds. */
export function spread(rounds: number[]): Spread {
  const sorted = rounds.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN, rounds };
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], rounds };
}

/** Per-round ratios a / b of two figures measured in the same (interleaved) rounds. */
export function ratios(a: number[], b: number[]): Spread {
  return spread(a.map((value, i) => value / b[i]));
}

/** One row of the table: a target or an informational figure. */
export interface Row {
  /** What is measured, with its unit. */
  label: string;
  app: Spread | number | null;
  bare: Spread | number | null;
  /** app / bare, or the measured value against an absolute limit. */
  ratio: Spread | number | null;
  /** The target, e.g. "<= 1.15x bare"; empty for information only. */
  target: string;
  /** Whether the target is met; null when the row has none. */
  pass: boolean | null;
}

function digitsFor(value: number): number {
  const size = Math.abs(value);
  return size >= 1000 ? 0 : size >= 100 ? 1 : size >= 10 ? 1 : size >= 1 ? 2 : 3;
}

function show(value: Spread | number | null): string {
  if (value === null) return "-";
  if (typeof value === "number") {
    return Number.isFinite(value) ? value.toFixed(digitsFor(value)) : "n/a";
  }
  if (!Number.isFinite(value.median)) return "n/a";
  const d = digitsFor(value.median);
  if (value.rounds.length <= 1) return value.median.toFixed(d);
  return `${value.median.toFixed(d)} (${value.min.toFixed(d)}-${value.max.toFixed(d)})`;
}

/** Formats the rows as one aligned text table. */
export function formatTable(rows: Row[]): string {
  const cells = rows.map((row) => [
    row.label,
    show(row.app),
    show(row.bare),
    show(row.ratio),
    row.target,
    row.pass === null ? "" : row.pass ? "PASS" : "FAIL",
  ]);
  const head = ["figure", "app", "bare", "app/bare or value", "target", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((cell, i) => i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join("  ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}
