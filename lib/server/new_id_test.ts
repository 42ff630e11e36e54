import assert from "node:assert/strict";
import { decodeTime, isValid } from "ulid";
import { isUlid } from "../protocol/validate.ts";
import { newUlid } from "./new_id.ts";

Deno.test("newUlid() makes valid ULIDs that carry their time and differ each time", () => {
  const now = Date.parse("2026-11-24T15:00:00.000Z");
  const ids = Array.from({ length: 1000 }, () => newUlid(now));
  for (const id of ids) {
    assert.ok(isValid(id) && isUlid(id), id);
    assert.equal(decodeTime(id), now);
  }
  assert.equal(new Set(ids).size, ids.length);
  // Every character of the alphabet turns up in the random part.
  assert.equal(new Set(ids.flatMap((id) => [...id.slice(10)])).size, 32);
});
