import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import { encodePayload, parsePayload, type Payload } from "./payload.ts";
import { MAX_TEXT_BYTES } from "./payload_limits.ts";

const TEXT = {
  v: 2,
  type: "text",
  id: "01JGZ5Q3V0K8N9P2R4S6T7W8XY",
  text: "Hello, wörld ✓",
  sentAt: 1767225600000,
  expiresIn: 0,
} satisfies Payload;

Deno.test("text payloads take up to MAX_TEXT_BYTES counted in UTF-8", () => {
  const longest = { ...TEXT, text: "é".repeat(MAX_TEXT_BYTES / 2) };
  assert.deepEqual(parsePayload(encodePayload(longest)), longest);
  const empty = { ...TEXT, text: "" };
  assert.deepEqual(parsePayload(encodePayload(empty)), empty);
  const tooLong = { ...TEXT, text: "é".repeat(MAX_TEXT_BYTES / 2) + "a" };
  assert.throws(() => encodePayload(tooLong), TypeError);
  assert.throws(() => parsePayload(utf8(JSON.stringify(tooLong))), {
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
      () => parsePayload(utf8(JSON.stringify({ ...TEXT, id }))),
      /"id" must be a ULID/,
    );
  }
});

Deno.test("parsePayload() rejects bytes that are not UTF-8 JSON", () => {
  for (
    const bytes of [
      new Uint8Array(),
      utf8("{"),
      utf8("undefined"),
      Uint8Array.of(0xff, 0xfe),
      Uint8Array.of(...utf8('{"v":2,"text":"'), 0xc3, ...utf8('"}')),
    ]
  ) {
    assert.throws(() => parsePayload(bytes), {
      name: "TypeError",
      message: "Invalid payload: not UTF-8 JSON",
    });
  }
});
