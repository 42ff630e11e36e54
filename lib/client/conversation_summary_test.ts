import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { formatListTime, PREVIEW_LENGTH, summarize } from "./conversation_summary.ts";
import { type StoredMessage, withMessageDefaults } from "./storage.ts";

const created = { createdAt: "2026-11-27T10:00:00.000Z" };

function message(fields: Partial<StoredMessage> & Pick<StoredMessage, "id">): StoredMessage {
  return withMessageDefaults({
    conversationId: "c",
    direction: "in",
    kind: "text",
    text: "",
    sentAt: 0,
    status: "received",
    envelope: null,
    ...fields,
  });
}

Deno.test("the summary previews the last shown message and counts unread received ones", () => {
  const summary = summarize(created, [
    message({ id: "1", kind: "hello", sentAt: 1 }),
    message({ id: "2", text: "first", sentAt: 2, status: "read" }),
    message({ id: "3", text: "second\n  line", sentAt: 3 }),
    message({
      id: "4",
      kind: "file",
      sentAt: 4,
      file: { name: "plan.pdf", mime: "", size: 1, sha256: "", chunks: 1, received: 1 },
    }),
    message({ id: "5", kind: "hello", sentAt: 9 }),
  ]);
  assert.deepEqual(summary, {
    preview: "File: plan.pdf",
    previewFromMe: false,
    unread: 2,
    lastAt: 4,
  });
  assert.equal(summarize(created, [message({ id: "1", text: "a  b", sentAt: 7 })]).preview, "a b");
});

Deno.test("an outgoing last message is marked as mine and never counts as unread", () => {
  const summary = summarize(created, [
    message({ id: "1", direction: "out", text: "hi", sentAt: 5, status: "pending" }),
  ]);
  assert.equal(summary.previewFromMe, true);
  assert.equal(summary.unread, 0);
});

Deno.test("an empty conversation has no preview and sorts by its creation", () => {
  assert.deepEqual(summarize(created, []), {
    preview: null,
    previewFromMe: false,
    unread: 0,
    lastAt: Date.parse(created.createdAt),
  });
});

Deno.test("a long preview is cut by characters with an ellipsis", () => {
  const text = "🙂".repeat(PREVIEW_LENGTH + 10);
  const preview = summarize(created, [message({ id: "1", text, sentAt: 1 })]).preview!;
  assert.equal([...preview].length, PREVIEW_LENGTH);
  assert.ok(preview.endsWith("…"));
});

Deno.test("list times are a clock time today, Yesterday, then a date", () => {
  const now = new Date(2026, 10, 27, 12, 0).getTime();
  assert.match(formatListTime(now - 60_000, now), /\d/);
  assert.equal(formatListTime(now - 24 * 3600_000, now), "Yesterday");
  assert.doesNotMatch(formatListTime(now - 72 * 3600_000, now), /Yesterday|2026/);
  assert.match(formatListTime(new Date(2025, 1, 1).getTime(), now), /2025/);
});
