import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import {
  chunkCount,
  encodePayloadV2,
  FILE_CHUNK_BYTES,
  MAX_RECEIPT_IDS,
  MAX_TEXT_BYTES,
  parsePayloadV2,
  type PayloadV2,
} from "./payload.ts";

const ID = "01JGZ5Q3V0K8N9P2R4S6T7W8XY";
const OTHER = "01JGZ5Q3V0K8N9P2R4S6T7W8XZ";
const SENT_AT = 1767225600000;

const TEXT: PayloadV2 = {
  v: 2,
  type: "text",
  id: ID,
  text: "Hello ✓",
  sentAt: SENT_AT,
  expiresIn: 0,
};
const HELLO: PayloadV2 = { v: 2, type: "hello", id: ID, sentAt: SENT_AT };
const RECEIPT: PayloadV2 = { v: 2, type: "receipt", id: ID, ids: [OTHER], sentAt: SENT_AT };

Deno.test("every stage-2 payload type round-trips through encodePayloadV2()", () => {
  for (const payload of [TEXT, HELLO, RECEIPT]) {
    assert.deepEqual(parsePayloadV2(encodePayloadV2(payload)), payload);
  }
  const ids = Array.from(
    { length: MAX_RECEIPT_IDS },
    (_, i) => `01JGZ5Q3V0K8N9P2R4S6T7W${String(i).padStart(3, "0")}`,
  );
  const full: PayloadV2 = { ...RECEIPT, ids };
  assert.deepEqual(parsePayloadV2(encodePayloadV2(full)), full);
});

Deno.test("parsePayloadV2() refuses a stage-1 payload by its version", () => {
  const v1 = { v: 1, type: "text", id: ID, text: "x", sentAt: SENT_AT };
  assert.throws(() => parsePayloadV2(utf8(JSON.stringify(v1))), {
    name: "TypeError",
    message: "Unsupported payload version 1",
  });
});

Deno.test("parsePayloadV2() wants exactly the keys of the type, each valid", () => {
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
    assert.throws(() => parsePayloadV2(utf8(JSON.stringify(value))), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
  assert.throws(() => parsePayloadV2(Uint8Array.of(0xff)), /not UTF-8 JSON/);
  assert.throws(
    () =>
      parsePayloadV2(utf8('{"v":2,"type":"hello","id":"' + ID + '","sentAt":1,"__proto__":{}}')),
    /unexpected key "__proto__"/,
  );
  assert.throws(() => encodePayloadV2({ ...HELLO, sentAt: -5 }), TypeError);
});

const SHA = "A".repeat(43);
const FILE: PayloadV2 = {
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
const CHUNK: PayloadV2 = {
  v: 2,
  type: "chunk",
  id: OTHER,
  file: ID,
  index: 1,
  data: "AAEC",
  sentAt: SENT_AT,
};

Deno.test("file, chunk, typing, read and timer payloads round-trip", () => {
  const payloads: PayloadV2[] = [
    FILE,
    CHUNK,
    { v: 2, type: "typing", id: ID, active: true, sentAt: SENT_AT },
    { v: 2, type: "read", id: ID, ids: [OTHER], sentAt: SENT_AT },
    { v: 2, type: "timer", id: ID, seconds: 300, sentAt: SENT_AT },
  ];
  for (const payload of payloads) {
    assert.deepEqual(parsePayloadV2(encodePayloadV2(payload)), payload);
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
      () => parsePayloadV2(utf8(JSON.stringify(value))),
      TypeError,
      JSON.stringify(value).slice(0, 80),
    );
  }
});
