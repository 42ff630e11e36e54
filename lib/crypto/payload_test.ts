import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import { encodePayload, MAX_TEXT_BYTES, parsePayload, type Payload } from "./payload.ts";

const PAYLOAD: Payload = {
  v: 1,
  type: "text",
  id: "01JGZ5Q3V0K8N9P2R4S6T7W8XY",
  text: "Hello, wörld ✓",
  sentAt: 1767225600000,
};

Deno.test("encodePayload() output parses back to the same payload", () => {
  assert.deepEqual(parsePayload(encodePayload(PAYLOAD)), PAYLOAD);
  const empty = { ...PAYLOAD, text: "" };
  assert.deepEqual(parsePayload(encodePayload(empty)), empty);
});

Deno.test("parsePayload() accepts text up to MAX_TEXT_BYTES in UTF-8", () => {
  const longest = { ...PAYLOAD, text: "é".repeat(MAX_TEXT_BYTES / 2) };
  assert.deepEqual(parsePayload(encodePayload(longest)), longest);
  const tooLong = { ...PAYLOAD, text: "é".repeat(MAX_TEXT_BYTES / 2) + "a" };
  assert.throws(() => encodePayload(tooLong), TypeError);
  assert.throws(() => parsePayload(utf8(JSON.stringify(tooLong))), {
    name: "TypeError",
    message: `Invalid payload: "text" is ${MAX_TEXT_BYTES + 1} bytes, above ${MAX_TEXT_BYTES}`,
  });
});

Deno.test("parsePayload() rejects malformed input with a clear TypeError", () => {
  const cases: [unknown, RegExp][] = [
    [null, /expected an object/],
    [[PAYLOAD], /expected an object/],
    ["text", /expected an object/],
    [{ ...PAYLOAD, v: 2 }, /^Unsupported payload version 2$/],
    [{ ...PAYLOAD, v: undefined }, /^Unsupported payload version undefined$/],
    [{ ...PAYLOAD, type: "file" }, /unsupported type "file"/],
    [{ ...PAYLOAD, extra: true }, /unexpected key "extra"/],
    [{ ...PAYLOAD, id: "01jgz5q3v0k8n9p2r4s6t7w8xy" }, /"id" must be a ULID/],
    [{ ...PAYLOAD, id: "01JGZ5Q3V0K8N9P2R4S6T7W8XI" }, /"id" must be a ULID/],
    [{ ...PAYLOAD, id: "01JGZ5Q3V0K8N9P2R4S6T7W8X" }, /"id" must be a ULID/],
    [{ ...PAYLOAD, id: 1 }, /"id" must be a ULID/],
    [{ ...PAYLOAD, text: 5 }, /"text" must be a string/],
    [{ ...PAYLOAD, text: null }, /"text" must be a string/],
    [{ ...PAYLOAD, sentAt: "1767225600000" }, /"sentAt"/],
    [{ ...PAYLOAD, sentAt: 1.5 }, /"sentAt"/],
    [{ ...PAYLOAD, sentAt: -1 }, /"sentAt"/],
    [{ v: 1, type: "text", id: PAYLOAD.id, text: "a" }, /"sentAt"/],
  ];
  for (const [value, message] of cases) {
    const bytes = utf8(JSON.stringify(value));
    assert.throws(() => parsePayload(bytes), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("parsePayload() rejects bytes that are not UTF-8 JSON", () => {
  for (
    const bytes of [
      new Uint8Array(),
      utf8("{"),
      utf8("undefined"),
      Uint8Array.of(0xff, 0xfe),
      Uint8Array.of(...utf8('{"v":1,"text":"'), 0xc3, ...utf8('"}')),
    ]
  ) {
    assert.throws(() => parsePayload(bytes), {
      name: "TypeError",
      message: "Invalid payload: not UTF-8 JSON",
    });
  }
});
