import assert from "node:assert/strict";
import {
  parseClientFrame,
  parseCreateConversationRequest,
  parseJoinConversationRequest,
  SMALL_ORDER_KEY_CODE,
} from "./client_frames.ts";
import { parseConversationRecord } from "./conversation_record.ts";
import { ProtocolError } from "./validate.ts";
import { BUNDLE, ID, KEY, PEER, record, SIG } from "../../tests/fixtures/wire.ts";

const OLD_BUNDLE = { v: 1, sign: KEY, dh: KEY, access: SIG };
const OPTIONS = { maxBodyLength: 1024 };
const KEY_OWNER = "01JD3Q8Z5XZZZZZZZZZZZZZZZZ";

Deno.test("request parsers take exactly the contract fields", () => {
  assert.deepEqual(
    parseCreateConversationRequest({ accessKey: KEY, bundle: BUNDLE, lifetime: 60 }),
    { accessKey: KEY, bundle: BUNDLE, lifetime: 60 },
  );
  for (const lifetime of [0, -1, 1.5, "60", null, Number.MAX_VALUE]) {
    assert.throws(
      () => parseCreateConversationRequest({ accessKey: KEY, bundle: BUNDLE, lifetime }),
      ProtocolError,
    );
  }
  assert.deepEqual(parseJoinConversationRequest({ bundle: BUNDLE }), { bundle: BUNDLE });
  assert.throws(
    () => parseJoinConversationRequest({ bundle: BUNDLE, x: 1 }),
    /unexpected field "x"/,
  );
  assert.throws(
    () => parseJoinConversationRequest({ bundle: { ...BUNDLE, sign: "!!" } }),
    ProtocolError,
  );
  // New participants need current-version keys; stored records may hold older ones.
  assert.throws(() => parseJoinConversationRequest({ bundle: OLD_BUNDLE }), /older version/);
  assert.equal(
    parseConversationRecord(record({ participants: [{ id: PEER, bundle: OLD_BUNDLE }] }))
      .participants[0].bundle.v,
    1,
  );
});

Deno.test("parseClientFrame() parses each frame type and rejects malformed ones", () => {
  assert.deepEqual(
    parseClientFrame(JSON.stringify({ type: "send", id: ID, to: PEER, body: "AAAA" }), OPTIONS),
    { type: "send", id: ID, to: PEER, body: "AAAA" },
  );
  // The spelling browsers write carries the message frame to pass on, with its sender.
  const carried = (frame: Record<string, unknown>) =>
    JSON.stringify({ type: "send", to: PEER, frame });
  const message = { type: "message", id: ID, from: KEY_OWNER, body: "AAAA" };
  assert.deepEqual(
    parseClientFrame(carried(message), OPTIONS),
    { type: "send", id: ID, to: PEER, body: "AAAA", from: KEY_OWNER },
  );
  for (
    const frame of [
      { ...message, type: "ack" },
      { ...message, from: "me" },
      { ...message, body: "AA==" },
      { ...message, body: "A".repeat(1025) },
      { ...message, extra: 1 },
      { type: "message", id: ID, body: "AAAA" },
    ]
  ) {
    assert.throws(() => parseClientFrame(carried(frame), OPTIONS), ProtocolError);
  }
  for (
    const text of [
      JSON.stringify({ type: "send", to: PEER, frame: "AAAA" }),
      JSON.stringify({ type: "send", to: PEER, frame: [message] }),
      JSON.stringify({ type: "send", to: PEER, id: ID, frame: message }),
      JSON.stringify({ type: "send", frame: message }),
    ]
  ) {
    assert.throws(() => parseClientFrame(text, OPTIONS), ProtocolError, text);
  }
  assert.deepEqual(parseClientFrame('{"type":"delete"}', OPTIONS), { type: "delete" });
  assert.deepEqual(parseClientFrame('{"type":"pong"}', OPTIONS), { type: "pong" });
  assert.deepEqual(
    parseClientFrame('{"type":"extend","expiresAt":"2026-12-01T15:00:00.000Z"}', OPTIONS),
    { type: "extend", expiresAt: "2026-12-01T15:00:00.000Z" },
  );
  const bad = [
    '{"type":"extend"}',
    '{"type":"extend","expiresAt":"2026-12-01"}',
    '{"type":"extend","expiresAt":1764601200000}',
    '{"type":"extend","expiresAt":"2026-12-01T15:00:00.000Z","by":"me"}',
    "",
    "nope",
    "null",
    "[]",
    '{"type":1}',
    '{"type":"shout"}',
    JSON.stringify({ type: "auth", participantId: PEER, signature: "AAAA" }),
    JSON.stringify({ type: "send", id: ID, to: PEER, body: "A".repeat(1025) }),
    JSON.stringify({ type: "send", id: ID, to: PEER, body: "AA==" }),
    JSON.stringify({ type: "ack", id: ID }),
    JSON.stringify({ type: "delete", now: true }),
    JSON.stringify({ type: "pong", at: 1 }),
  ];
  for (const text of bad) {
    assert.throws(() => parseClientFrame(text, OPTIONS), ProtocolError, text);
  }
  assert.deepEqual(
    parseClientFrame(
      JSON.stringify({ type: "auth", participantId: PEER, signature: SIG }),
      OPTIONS,
    ),
    { type: "auth", participantId: PEER, signature: SIG },
  );
});

Deno.test("request parsers refuse a small-order accessKey or sign key with small_order_key", () => {
  const small = ["A".repeat(43), `AQ${"A".repeat(41)}`, `7P${"_".repeat(39)}38`];
  for (const key of small) {
    for (
      const parse of [
        () => parseCreateConversationRequest({ accessKey: key, bundle: BUNDLE, lifetime: 60 }),
        () =>
          parseCreateConversationRequest({
            accessKey: KEY,
            bundle: { ...BUNDLE, sign: key },
            lifetime: 60,
          }),
        () => parseJoinConversationRequest({ bundle: { ...BUNDLE, sign: key } }),
      ]
    ) {
      assert.throws(parse, (error: unknown) => {
        assert.ok(error instanceof ProtocolError);
        assert.equal(error.code, SMALL_ORDER_KEY_CODE);
        assert.match(error.message, /small-order Ed25519 public key is not allowed/);
        return true;
      }, key);
    }
  }
  // Any other mistake keeps the general code.
  assert.throws(() => parseJoinConversationRequest({ bundle: { ...BUNDLE, sign: "!!" } }), {
    code: "invalid_request",
  });
});
