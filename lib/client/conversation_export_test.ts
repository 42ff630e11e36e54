import assert from "node:assert/strict";
import {
  buildConversationExport,
  EXPORT_FORMAT,
  exportedFileIds,
  exportFileName,
} from "./conversation_export.ts";
import type { StoredConversation, StoredMessage } from "./storage.ts";

const conversation = {
  id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
  secret: "SECRET-NEVER-EXPORTED",
  role: "creator",
  accessKey: "ACCESS-KEY",
  createdAt: "2026-11-24T15:00:00.000Z",
  expiresAt: "2026-12-01T15:00:00.000Z",
} as unknown as StoredConversation;

const message: StoredMessage = {
  conversationId: conversation.id,
  id: "01JD3Q8Z5V4T6N2M8K0P9R7S1B",
  direction: "out",
  kind: "text",
  text: "hello",
  sentAt: Date.parse("2026-11-24T15:01:00.000Z"),
  status: "delivered",
  envelope: "SEALED-ENVELOPE",
  expiresIn: 0,
  expiresAt: null,
  file: null,
  timer: null,
};

Deno.test("buildConversationExport() keeps the history and leaves secrets and envelopes out", () => {
  const now = new Date("2026-11-25T10:00:00.000Z");
  const hello: StoredMessage = { ...message, id: "01JD3Q8Z5V4T6N2M8K0P9R7S1C", kind: "hello" };
  const exported = buildConversationExport(conversation, [message, hello], now);
  assert.deepEqual(exported, {
    format: EXPORT_FORMAT,
    version: 2,
    exportedAt: "2026-11-25T10:00:00.000Z",
    conversation: {
      id: conversation.id,
      role: "creator",
      createdAt: conversation.createdAt,
      expiresAt: conversation.expiresAt,
    },
    messages: [{
      id: message.id,
      direction: "out",
      sentAt: "2026-11-24T15:01:00.000Z",
      status: "delivered",
      text: "hello",
    }],
  });
  const text = JSON.stringify(exported);
  for (const hidden of ["SECRET-NEVER-EXPORTED", "ACCESS-KEY", "SEALED-ENVELOPE"]) {
    assert.ok(!text.includes(hidden), `${hidden} is not exported`);
  }
  assert.equal(
    exportFileName(conversation.id, now),
    "conversation-01JD3Q8Z5V4T6N2M8K0P9R7S1A-2026-11-25.json",
  );
});

Deno.test("buildConversationExport() includes files as base64, and says why one is missing", () => {
  const now = new Date("2026-11-25T10:00:00.000Z");
  const info = { name: "notes.txt", mime: "text/plain", size: 5, sha256: "HASH", chunks: 1 };
  const sent: StoredMessage = {
    ...message,
    id: "01JD3Q8Z5V4T6N2M8K0P9R7S1D",
    kind: "file",
    text: "",
    file: { ...info, received: 0 },
  };
  const refused: StoredMessage = {
    ...sent,
    id: "01JD3Q8Z5V4T6N2M8K0P9R7S1E",
    direction: "in",
    status: "refused",
  };
  const bytes = new TextEncoder().encode("hello");
  const exported = buildConversationExport(
    conversation,
    [message, sent, refused],
    now,
    new Map([[sent.id, bytes]]),
  );
  assert.deepEqual(exported.messages.map((m) => m.file), [
    undefined,
    { name: "notes.txt", mime: "text/plain", size: 5, sha256: "HASH", data: "aGVsbG8=" },
    {
      name: "notes.txt",
      mime: "text/plain",
      size: 5,
      sha256: "HASH",
      data: null,
      missing: "not accepted, so never kept",
    },
  ]);
  assert.equal(atob(exported.messages[1].file!.data!), "hello");
  assert.deepEqual(exportedFileIds([message, sent, refused]), [sent.id]);
});
