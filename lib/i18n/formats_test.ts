import assert from "node:assert/strict";
import { formatBytes, formatNumber } from "./format_sizes.ts";
import { formatClock, formatDate, formatRelative } from "./formats.ts";
import { renderWith } from "./i18n.ts";

const inLocale = <T>(tag: string, fn: () => T): T =>
  renderWith({ tag, dir: "ltr", messages: {} }, fn);

Deno.test("numbers and sizes follow the active language", () => {
  assert.equal(inLocale("en", () => formatNumber(1234.5)), "1,234.5");
  assert.equal(inLocale("de", () => formatNumber(1234.5)), "1.234,5");
  assert.equal(inLocale("en", () => formatBytes(999)), "999 bytes");
  assert.equal(inLocale("en", () => formatBytes(1)), "1 byte");
  assert.equal(inLocale("fr", () => formatBytes(390)), "390\u00a0octets");
  assert.equal(inLocale("en", () => formatBytes(2_500_000)), "2.5 MB");
  assert.equal(inLocale("de", () => formatBytes(2_500_000)), "2,5 MB");
  assert.equal(inLocale("en", () => formatBytes(26_214_400)), "26.2 MB");
  assert.equal(inLocale("fr", () => formatBytes(1_500)), "1,5\u202fko"); // French: a narrow no-break space before the unit
});

Deno.test("dates and relative times follow the active language", () => {
  const noon = Date.UTC(2026, 10, 27, 12, 5);
  const options = { timeZone: "UTC", hour: "2-digit", minute: "2-digit" } as const;
  assert.equal(inLocale("en", () => formatDate(noon, { ...options, hour12: false })), "12:05");
  assert.equal(inLocale("ja", () => formatDate(noon, { timeZone: "UTC", month: "long" })), "11月");
  assert.equal(inLocale("en", () => formatRelative(1, "day")), "tomorrow");
  assert.equal(inLocale("de", () => formatRelative(3, "hour")), "in 3 Stunden");
  assert.equal(inLocale("es", () => formatRelative(-2, "minute")), "hace 2 minutos");
});

Deno.test("a call's clock keeps Western digits and grows hours when needed", () => {
  assert.equal(formatClock(0), "0:00");
  assert.equal(formatClock(65), "1:05");
  assert.equal(formatClock(3723), "1:02:03");
  assert.equal(formatClock(-5), "0:00");
});
