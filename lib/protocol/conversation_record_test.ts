import assert from "node:assert/strict";
import { parseConversationRecord } from "./conversation_record.ts";
import { ProtocolError } from "./validate.ts";
import { BUNDLE, PEER, record } from "../../tests/fixtures/wire.ts";

Deno.test("parseConversationRecord() accepts the contract record and rejects any deviation", () => {
  assert.deepEqual(parseConversationRecord(record()), record());
  const bad: Record<string, unknown>[] = [
    { version: 2 },
    { id: "nope" },
    { createdAt: "yesterday" },
    { expiresAt: "2026-12-01" },
    { accessKey: "AAAA" },
    { participants: "none" },
    { participants: [{ id: PEER, bundle: BUNDLE }, { id: PEER, bundle: BUNDLE }] },
    { participants: [1, 2, 3] },
    { extra: true },
  ];
  for (const overrides of bad) {
    assert.throws(
      () => parseConversationRecord(record(overrides)),
      ProtocolError,
      JSON.stringify(overrides),
    );
  }
  assert.throws(() => parseConversationRecord(null), ProtocolError);
  assert.throws(() => parseConversationRecord([]), ProtocolError);
});
