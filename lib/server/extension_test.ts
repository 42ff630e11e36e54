import assert from "node:assert/strict";
import type { ConversationRecord } from "../protocol/conversation_record.ts";
import { extendedRecord } from "./extension.ts";
import { HttpError } from "./http_error.ts";

const ID = "01J00000000000000000000000";
const created = Date.parse("2026-11-27T10:00:00.000Z");
const record = {
  version: 1,
  id: ID,
  createdAt: new Date(created).toISOString(),
  modifiedAt: new Date(created).toISOString(),
  expiresAt: new Date(created + 3600_000).toISOString(),
  accessKey: "k",
  participants: [],
} as ConversationRecord;
const now = created + 60_000;

function refusal(fn: () => unknown): { status: number; code: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return { status: error.status, code: error.code };
  }
  throw new Error("expected a refusal");
}

Deno.test("extending moves only expiresAt and modifiedAt", () => {
  const wanted = new Date(created + 7200_000).toISOString();
  assert.deepEqual(extendedRecord(record, ID, wanted, 86400, now), {
    ...record,
    expiresAt: wanted,
    modifiedAt: new Date(now).toISOString(),
  });
});

Deno.test("the longest extension ends exactly the maximum lifetime after creation", () => {
  const limit = new Date(created + 86400_000).toISOString();
  assert.equal(extendedRecord(record, ID, limit, 86400, now).expiresAt, limit);
  const over = new Date(created + 86400_000 + 1).toISOString();
  assert.deepEqual(refusal(() => extendedRecord(record, ID, over, 86400, now)), {
    status: 422,
    code: "lifetime_too_long",
  });
});

Deno.test("an end that is not later than the current one or than now is refused", () => {
  for (const at of [record.expiresAt, new Date(created).toISOString()]) {
    assert.deepEqual(refusal(() => extendedRecord(record, ID, at, 86400, now)), {
      status: 409,
      code: "not_later",
    });
  }
  const late = new Date(created + 7200_000).toISOString();
  assert.deepEqual(
    refusal(() => extendedRecord(record, ID, late, 86400, created + 8000_000)).code,
    "not_later",
  );
});

Deno.test("a conversation that is gone cannot be extended", () => {
  assert.deepEqual(refusal(() => extendedRecord(null, ID, record.expiresAt, 86400, now)), {
    status: 404,
    code: "not_found",
  });
});
