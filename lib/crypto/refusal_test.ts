import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import { encodePayload, parsePayload, type Payload } from "./payload.ts";
import { REFUSAL_REASONS } from "./refusal.ts";

const ID = "01JGZ5Q3V0K8N9P2R4S6T7W8XY";
const FILE = "01JGZ5Q3V0K8N9P2R4S6T7W8XZ";
const REFUSAL: Payload = {
  v: 2,
  type: "refusal",
  id: ID,
  file: FILE,
  reason: "too_large",
  sentAt: 1767225600000,
};

Deno.test("a refusal payload round-trips with each reason", () => {
  for (const reason of REFUSAL_REASONS) {
    const payload = { ...REFUSAL, reason } as Payload;
    assert.deepEqual(parsePayload(encodePayload(payload)), payload);
  }
  assert.equal(
    new TextDecoder().decode(encodePayload(REFUSAL)),
    '{"v":2,"type":"refusal","id":"01JGZ5Q3V0K8N9P2R4S6T7W8XY","file":"01JGZ5Q3V0K8N9P2R4S6T7W8XZ","reason":"too_large","sentAt":1767225600000}',
  );
});

Deno.test("parsePayload() wants exactly the keys of a refusal, each valid", () => {
  const cases: [unknown, RegExp][] = [
    [
      { ...REFUSAL, reason: "because" },
      /^Invalid payload: "reason" must be one of too_large, no_space, declined$/,
    ],
    [{ ...REFUSAL, reason: "toString" }, /"reason" must be one of/],
    [{ ...REFUSAL, reason: 1 }, /"reason" must be one of/],
    [{ ...REFUSAL, reason: "TOO_LARGE" }, /"reason" must be one of/],
    [{ ...REFUSAL, file: "not-a-ulid" }, /^Invalid payload: "file" must be a ULID$/],
    [{ ...REFUSAL, id: FILE.toLowerCase() }, /"id" must be a ULID/],
    [{ ...REFUSAL, sentAt: -1 }, /"sentAt" must be a non-negative integer/],
    [{ ...REFUSAL, text: "free text" }, /^Invalid payload: unexpected key "text"$/],
    [{ v: 2, type: "refusal", id: ID, reason: "too_large", sentAt: 1 }, /missing key "file"/],
    [{ v: 2, type: "refusal", id: ID, file: FILE, sentAt: 1 }, /missing key "reason"/],
    [{ ...REFUSAL, v: 1 }, /^Unsupported payload version 1$/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parsePayload(utf8(JSON.stringify(value))), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});
