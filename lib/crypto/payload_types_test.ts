import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import { encodePayload, parsePayload, type Payload } from "./payload.ts";
import { chunkCount, FILE_CHUNK_BYTES, MAX_RECEIPT_IDS, MAX_TEXT_BYTES } from "./payload_limits.ts";

const ID = "01JGZ5Q3V0K8N9P2R4S6T7W8XY";
const OTHER = "01JGZ5Q3V0K8N9P2R4S6T7W8XZ";
const SENT_AT = 1767225600000;

const TEXT: Payload = {
  v: 2,
  type: "text",
  id: ID,
  text: "Hello ✓",
  sentAt: SENT_AT,
  expiresIn: 0,
};
const HELLO: Payload = { v: 2, type: "hello", id: ID, sentAt: SENT_AT };
const RECEIPT: Payload = { v: 2, type: "receipt", id: ID, ids: [OTHER], sentAt: SENT_AT };
const END: Payload = { v: 2, type: "end", id: ID, sentAt: SENT_AT };

Deno.test("every payload type round-trips through encodePayload()", () => {
  for (const payload of [TEXT, HELLO, RECEIPT, END]) {
    assert.deepEqual(parsePayload(encodePayload(payload)), payload);
  }
  const ids = Array.from(
    { length: MAX_RECEIPT_IDS },
    (_, i) => `01JGZ5Q3V0K8N9P2R4S6T7W${String(i).padStart(3, "0")}`,
  );
  const full: Payload = { ...RECEIPT, ids };
  assert.deepEqual(parsePayload(encodePayload(full)), full);
});

Deno.test("parsePayload() refuses a legacy payload by its version", () => {
  const v1 = { v: 1, type: "text", id: ID, text: "x", sentAt: SENT_AT };
  assert.throws(() => parsePayload(utf8(JSON.stringify(v1))), {
    name: "TypeError",
    message: "Unsupported payload version 1",
  });
});

Deno.test("parsePayload() wants exactly the keys of the type, each valid", () => {
  const cases: [unknown, RegExp][] = [
    [null, /^Invalid payload: expected an object$/],
    [[TEXT], /^Invalid payload: expected an object$/],
    [{ ...TEXT, type: "file-chunk" }, /^Invalid payload: unsupported type "file-chunk"$/],
    [{ ...TEXT, type: "toString" }, /unsupported type "toString"/],
    [{ ...TEXT, type: undefined }, /unsupported type undefined/],
    [{ ...HELLO, text: "hi" }, /^Invalid payload: unexpected key "text"$/],
    [{ ...TEXT, ids: [OTHER] }, /unexpected key "ids"/],
    [
      { v: 2, type: "text", id: ID, sentAt: SENT_AT, expiresIn: 0 },
      /^Invalid payload: missing key "text"$/,
    ],
    [{ v: 2, type: "receipt", id: ID, sentAt: SENT_AT }, /missing key "ids"/],
    [{ ...TEXT, id: ID.toLowerCase() }, /"id" must be a ULID/],
    [{ ...TEXT, text: 5 }, /"text" must be a string/],
    [{ ...TEXT, text: "a".repeat(MAX_TEXT_BYTES + 1) }, /"text" is 65537 bytes, above 65536/],
    [{ ...TEXT, sentAt: -1 }, /"sentAt" must be a non-negative integer/],
    [{ ...TEXT, sentAt: 1.5 }, /"sentAt" must be a non-negative integer/],
    [{ ...RECEIPT, ids: [] }, /"ids" must be a list of 1 to 100 ULIDs/],
    [{ ...RECEIPT, ids: OTHER }, /"ids" must be a list/],
    [{ ...RECEIPT, ids: Array(101).fill(OTHER) }, /"ids" must be a list/],
    [{ ...RECEIPT, ids: [OTHER, 1] }, /"ids" must be a ULID/],
    [{ ...RECEIPT, ids: [OTHER, OTHER] }, /"ids" lists an ID twice/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parsePayload(utf8(JSON.stringify(value))), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
  assert.throws(() => parsePayload(Uint8Array.of(0xff)), /not UTF-8 JSON/);
  assert.throws(
    () => parsePayload(utf8('{"v":2,"type":"hello","id":"' + ID + '","sentAt":1,"__proto__":{}}')),
    /unexpected key "__proto__"/,
  );
  assert.throws(() => encodePayload({ ...HELLO, sentAt: -5 }), TypeError);
});

const SHA = "A".repeat(43);
const FILE: Payload = {
  v: 2,
  type: "file",
  id: ID,
  name: "photo of the cat.png",
  mime: "image/png",
  size: FILE_CHUNK_BYTES + 1,
  chunks: 2,
  sha256: SHA,
  sentAt: SENT_AT,
  expiresIn: 3600,
};
const CHUNK: Payload = {
  v: 2,
  type: "chunk",
  id: OTHER,
  file: ID,
  index: 1,
  data: "AAEC",
  sentAt: SENT_AT,
};

Deno.test("file, chunk, typing, read and timer payloads round-trip", () => {
  const payloads: Payload[] = [
    FILE,
    CHUNK,
    { v: 2, type: "typing", id: ID, active: true, sentAt: SENT_AT },
    { v: 2, type: "read", id: ID, ids: [OTHER], sentAt: SENT_AT },
    { v: 2, type: "timer", id: ID, seconds: 300, sentAt: SENT_AT },
  ];
  for (const payload of payloads) {
    assert.deepEqual(parsePayload(encodePayload(payload)), payload);
  }
  assert.equal(chunkCount(0), 1);
  assert.equal(chunkCount(FILE_CHUNK_BYTES), 1);
  assert.equal(chunkCount(FILE_CHUNK_BYTES + 1), 2);
});

Deno.test("file and timer payloads refuse values outside the protocol", () => {
  const bad: unknown[] = [
    { ...FILE, chunks: 3 },
    { ...FILE, size: -1 },
    { ...FILE, mime: "<script>" },
    { ...FILE, name: "" },
    { ...FILE, name: "x".repeat(256) },
    { ...FILE, sha256: "AAAA" },
    { ...FILE, expiresIn: 42 },
    { ...CHUNK, data: "A".repeat(Math.ceil(FILE_CHUNK_BYTES * 4 / 3) + 4) },
    { ...CHUNK, data: "!!" },
    { ...CHUNK, index: -1 },
    { ...CHUNK, file: "nope" },
    { ...TEXT, expiresIn: 1 },
    { v: 2, type: "timer", id: ID, seconds: 60, sentAt: SENT_AT },
    { v: 2, type: "typing", id: ID, active: "yes", sentAt: SENT_AT },
    { v: 2, type: "read", id: ID, ids: [], sentAt: SENT_AT },
  ];
  for (const value of bad) {
    assert.throws(
      () => parsePayload(utf8(JSON.stringify(value))),
      TypeError,
      JSON.stringify(value).slice(0, 80),
    );
  }
});
