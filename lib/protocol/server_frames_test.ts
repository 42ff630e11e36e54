import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { PING_FRAME_TEXT, PONG_FRAME_TEXT } from "./liveness_frames.ts";
import { parseAdmissionResponse } from "./admission_response.ts";
import { messageFrameText, parseServerFrame } from "./server_frames.ts";
import { ProtocolError } from "./validate.ts";
import { BUNDLE, ID, PEER, record } from "../../tests/fixtures/wire.ts";

const OPTIONS = { maxBodyLength: 1024 };

Deno.test("parseAdmissionResponse() checks both the record and the participant ID", () => {
  assert.equal(
    parseAdmissionResponse({ conversation: record(), participantId: PEER }).participantId,
    PEER,
  );
  assert.throws(
    () => parseAdmissionResponse({ conversation: record(), participantId: "x" }),
    ProtocolError,
  );
  assert.throws(() => parseAdmissionResponse({ conversation: record() }), ProtocolError);
});

Deno.test("parseServerFrame() distrusts the relay: shapes, IDs and peer counts", () => {
  assert.deepEqual(
    parseServerFrame(
      JSON.stringify({ type: "ready", peers: [{ id: PEER, online: true }] }),
      OPTIONS,
    ),
    { type: "ready", peers: [{ id: PEER, online: true }] },
  );
  assert.deepEqual(parseServerFrame('{"type":"ping"}', OPTIONS), { type: "ping" });
  const bad = [
    { type: "ping", at: 1 },
    { type: "ready", peers: [{ id: PEER, online: true }, { id: ID, online: false }] },
    { type: "presence", participantId: PEER, online: "yes" },
    { type: "closed", reason: "bored" },
    { type: "extended", expiresAt: "soon" },
    { type: "extend_requested" },
    { type: "challenge", nonce: "AAAA" },
    { type: "joined", participant: { id: "x", bundle: BUNDLE } },
    { type: "message", id: ID, from: PEER, body: 7 },
    { type: "error", code: "x".repeat(65), message: "" },
  ];
  for (const frame of bad) {
    assert.throws(
      () => parseServerFrame(JSON.stringify(frame), OPTIONS),
      ProtocolError,
      JSON.stringify(frame),
    );
  }
});

Deno.test("a message frame built by concatenation is the text JSON.stringify writes and parses back", () => {
  const ulid = fc.string({
    unit: fc.constantFrom(..."0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
    minLength: 25,
    maxLength: 25,
  })
    .map((rest) => `0${rest}`);
  fc.assert(
    fc.property(ulid, ulid, fc.uint8Array({ maxLength: 700 }), (id, from, bytes) => {
      const body = encodeBase64Url(bytes);
      const text = messageFrameText(id, from, body);
      assert.equal(text, JSON.stringify({ type: "message", id, from, body }));
      assert.deepEqual(parseServerFrame(text, OPTIONS), { type: "message", id, from, body });
    }),
    { numRuns: 500 },
  );
});

Deno.test("the liveness frames' fixed texts are what JSON.stringify writes", () => {
  assert.equal(PING_FRAME_TEXT, JSON.stringify({ type: "ping" }));
  assert.equal(PONG_FRAME_TEXT, JSON.stringify({ type: "pong" }));
  assert.deepEqual(parseServerFrame(PING_FRAME_TEXT, OPTIONS), { type: "ping" });
});
