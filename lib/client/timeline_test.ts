import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { dayLabel, localEvents, timelineItems } from "./timeline.ts";

const noon = new Date(2026, 10, 27, 12, 0, 0).getTime();
const hour = 60 * 60 * 1000;

Deno.test("day labels read Today, Yesterday, then the date, with the year only when another", () => {
  assert.equal(dayLabel(noon - 11 * hour, noon), "Today");
  assert.equal(dayLabel(noon - 13 * hour, noon), "Yesterday");
  assert.equal(dayLabel(noon - 36 * hour, noon), "Yesterday");
  const older = dayLabel(noon - 72 * hour, noon);
  assert.notEqual(older, "Yesterday");
  assert.match(older, /24/);
  assert.doesNotMatch(older, /2026/);
  assert.match(dayLabel(new Date(2025, 0, 3).getTime(), noon), /2025/);
});

Deno.test("the creator's history says it started here and when the other person joined", () => {
  const events = localEvents(
    { role: "creator", createdAt: new Date(noon - hour).toISOString() },
    [
      { kind: "hello", direction: "in", sentAt: noon - 30 * 60_000 },
      { kind: "hello", direction: "in", sentAt: noon },
      { kind: "text", direction: "in", sentAt: noon - 40 * 60_000 },
    ],
  );
  assert.deepEqual(events.map((e) => [e.text, e.at]), [
    ["You started this conversation", noon - hour],
    ["They joined", noon - 30 * 60_000],
  ]);
});

Deno.test("the joiner's history says when it joined, from its own first hello", () => {
  const events = localEvents({ role: "joiner", createdAt: new Date(noon).toISOString() }, [
    { kind: "hello", direction: "out", sentAt: noon + 5 },
  ]);
  assert.deepEqual(events.map((e) => e.text), ["You joined"]);
  assert.deepEqual(localEvents({ role: "joiner", createdAt: "" }, []), []);
});

Deno.test("the timeline puts a day line at each new day and events before later messages", () => {
  const messages = [
    { id: "a", sentAt: noon - 26 * hour },
    { id: "b", sentAt: noon - 25 * hour },
    { id: "c", sentAt: noon - hour },
  ];
  const events = [
    { key: "started", at: noon - 27 * hour, text: "You started this conversation" },
    { key: "they-joined", at: noon - 2 * hour, text: "They joined" },
    { key: "late", at: noon, text: "Later" },
  ];
  const { before, after } = timelineItems(messages, events, noon);
  assert.deepEqual(before.get("a")!.map((i) => i.type === "day" ? i.label : i.text), [
    "Yesterday",
    "You started this conversation",
  ]);
  assert.equal(before.get("b"), undefined);
  assert.deepEqual(before.get("c")!.map((i) => i.type === "day" ? i.label : i.text), [
    "Today",
    "They joined",
  ]);
  assert.deepEqual(after.map((i) => i.type === "day" ? i.label : i.text), ["Later"]);
});
