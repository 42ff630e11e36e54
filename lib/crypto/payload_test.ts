import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import { encodePayloadV2, MAX_TEXT_BYTES, parsePayloadV2, type PayloadV2 } from "./payload.ts";

const TEXT = {
  v: 2,
  type: "text",
  id: "01JGZ5Q3V0K8N9P2R4S6T7W8XY",
  text: "Hello, wörld ✓",
  sentAt: 1767225600000,
  expiresIn: 0,
} satisfies PayloadV2;

Deno.test("text payloads take up to MAX_TEXT_BYTES counted in UTF-8", () => {
  const longest = { ...TEXT, text: "é".repeat(MAX_TEXT_BYTES / 2) };
  assert.deepEqual(parsePayloadV2(encodePayloadV2(longest)), longest);
  const empty = { ...TEXT, text: "" };
  assert.deepEqual(parsePayloadV2(encodePayloadV2(empty)), empty);
  const tooLong = { ...TEXT, text: "é".repeat(MAX_TEXT_BYTES / 2) + "a" };
  assert.throws(() => encodePayloadV2(tooLong), TypeError);
  assert.throws(() => parsePayloadV2(utf8(JSON.stringify(tooLong))), {
    name: "TypeError",
    message: `Invalid payload: "text" is ${MAX_TEXT_BYTES + 1} bytes, above ${MAX_TEXT_BYTES}`,
  });
});

Deno.test("payload IDs must be upper-case Crockford ULIDs", () => {
  for (
    const id of [
      "01jgz5q3v0k8n9p2r4s6t7w8xy",
      "01JGZ5Q3V0K8N9P2R4S6T7W8XI",
      "01JGZ5Q3V0K8N9P2R4S6T7W8X",
      1,
    ]
  ) {
    assert.throws(
      () => parsePayloadV2(utf8(JSON.stringify({ ...TEXT, id }))),
      /"id" must be a ULID/,
    );
  }
});

Deno.test("parsePayloadV2() rejects bytes that are not UTF-8 JSON", () => {
  for (
    const bytes of [
      new Uint8Array(),
      utf8("{"),
      utf8("undefined"),
      Uint8Array.of(0xff, 0xfe),
      Uint8Array.of(...utf8('{"v":2,"text":"'), 0xc3, ...utf8('"}')),
    ]
  ) {
    assert.throws(() => parsePayloadV2(bytes), {
      name: "TypeError",
      message: "Invalid payload: not UTF-8 JSON",
    });
  }
});
