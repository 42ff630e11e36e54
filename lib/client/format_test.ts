import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { readLocaleMessages } from "../i18n/catalogue_files.ts";
import { activeCatalogue, setCatalogue } from "../i18n/i18n.ts";
import { describeTimerChange, formatRemaining, LIFETIME_CHOICES, timerLabel } from "./format.ts";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

Deno.test("formatRemaining() says a fresh 1-day conversation ends in 1 day, not 23 hours", () => {
  assert.equal(formatRemaining(at(86400), NOW), "in 1 day");
  // A few seconds pass between creating and looking.
  assert.equal(formatRemaining(at(86400 - 5), NOW), "in 1 day");
  assert.equal(formatRemaining(at(23.5 * 3600), NOW), "in 1 day");
});

Deno.test("formatRemaining() rounds to the nearest unit and switches units at half a step", () => {
  const cases: [number, string][] = [
    [7 * 86400, "in 7 days"],
    [7 * 86400 - 60, "in 7 days"],
    [30 * 86400 - 10, "in 30 days"],
    [36 * 3600 - 1, "in 1 day"],
    [36 * 3600, "in 2 days"],
    [23.5 * 3600 - 1, "in 23 hours"],
    [3 * 3600 + 20 * 60, "in 3 hours"],
    [3600 - 5, "in 1 hour"],
    [59.5 * 60, "in 1 hour"],
    [59.5 * 60 - 1, "in 59 minutes"],
    [90, "in 2 minutes"],
    [60, "in 1 minute"],
    [59.5, "in 1 minute"],
    [30, "in less than a minute"],
    [0, "now"],
    [-100, "now"],
  ];
  for (const [seconds, expected] of cases) {
    assert.equal(formatRemaining(at(seconds), NOW), expected, `${seconds} s`);
  }
});

Deno.test("times and durations follow the active language's plural forms", async () => {
  const english = activeCatalogue();
  const use = async (tag: string) =>
    setCatalogue({
      tag,
      dir: "ltr",
      messages: await readLocaleMessages(new URL(`../../locales/${tag}/`, import.meta.url)),
    });
  try {
    await use("de");
    assert.equal(formatRemaining(at(86400), NOW), "in 1 Tag");
    assert.equal(formatRemaining(at(7 * 86400), NOW), "in 7 Tagen");
    assert.equal(timerLabel(604800), "1 Woche");
    assert.equal(
      describeTimerChange(300, true),
      "Du hast verschwindende Nachrichten auf 5 Minuten gestellt",
    );
    await use("ru");
    assert.equal(formatRemaining(at(86400), NOW), "через 1 день");
    assert.equal(formatRemaining(at(2 * 86400), NOW), "через 2 дня");
    assert.equal(formatRemaining(at(5 * 86400), NOW), "через 5 дней");
    assert.equal(formatRemaining(at(21 * 86400), NOW), "через 21 день");
    assert.equal(formatRemaining(at(3 * 60), NOW), "через 3 минуты");
    await use("ja");
    assert.equal(formatRemaining(at(3 * 3600), NOW), "3時間後");
    assert.equal(timerLabel(0), "オフ");
    assert.equal(LIFETIME_CHOICES.map((c) => c.label).join(" "), "1時間 1日 1週間 30日");
  } finally {
    setCatalogue(english);
  }
});
