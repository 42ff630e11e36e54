import assert from "node:assert/strict";
import { parseConversationRecord } from "./conversation_record.ts";
import { ProtocolError } from "./validate.ts";

const ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
const PEER = "01JD3Q8Z5W0000000000000000";
const KEY = "A".repeat(43);
const SIG = "A".repeat(86);
const BUNDLE = { v: 2, sign: KEY, dh: KEY, access: SIG };

function record(overrides: Record<string, unknown> = {}) {
  return {
    version: 1,
    id: ID,
    createdAt: "2026-11-24T15:00:00.000Z",
    modifiedAt: "2026-11-24T15:00:00.000Z",
    expiresAt: "2026-12-01T15:00:00.000Z",
    accessKey: KEY,
    participants: [{ id: PEER, bundle: BUNDLE }],
    ...overrides,
  };
}

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
