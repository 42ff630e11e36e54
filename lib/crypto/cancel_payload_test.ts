import assert from "node:assert/strict";
import type { CancelPayload } from "./cancel_payload.ts";
import { utf8 } from "./encoding.ts";
import { encodePayload, parsePayload } from "./payload.ts";

const CANCEL = {
  v: 2,
  type: "cancel",
  id: "01JGZ5Q3V0K8N9P2R4S6T7W8XY",
  file: "01JGZ5Q3V0K8N9P2R4S6T7W8XZ",
  sentAt: 1767225600000,
} satisfies CancelPayload;

function parse(value: unknown) {
  return parsePayload(utf8(JSON.stringify(value)));
}

Deno.test("a cancel payload names the file whose transfer stops and round-trips unchanged", () => {
  assert.deepEqual(parsePayload(encodePayload(CANCEL)), CANCEL);
});

Deno.test("a cancel payload without a file ID, or with a file ID that is no ULID, is refused", () => {
  const { file: _, ...withoutFile } = CANCEL;
  assert.throws(() => parse(withoutFile), {
    name: "TypeError",
    message: 'Invalid payload: missing key "file"',
  });
  for (
    const file of ["", "01jgz5q3v0k8n9p2r4s6t7w8xz", "not a ulid", 7, null, [
      "01JGZ5Q3V0K8N9P2R4S6T7W8XZ",
    ]]
  ) {
    assert.throws(() => parse({ ...CANCEL, file }), {
      name: "TypeError",
      message: 'Invalid payload: "file" must be a ULID',
    });
  }
});

Deno.test("a cancel payload with any other key, a bad time or another version is refused", () => {
  assert.throws(() => parse({ ...CANCEL, reason: "too big" }), {
    name: "TypeError",
    message: 'Invalid payload: unexpected key "reason"',
  });
  assert.throws(() => parse({ ...CANCEL, index: 3 }), /unexpected key "index"/);
  for (const sentAt of [-1, 1.5, "1767225600000", null]) {
    assert.throws(() => parse({ ...CANCEL, sentAt }), /"sentAt" must be a non-negative integer/);
  }
  assert.throws(() => parse({ ...CANCEL, v: 1 }), /Unsupported payload version 1/);
  const { id: _, ...withoutId } = CANCEL;
  assert.throws(() => parse(withoutId), /missing key "id"/);
  assert.throws(() => encodePayload({ ...CANCEL, file: "x" }), TypeError);
});
