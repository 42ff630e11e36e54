/**
 * Property-based fuzzing of the wire parsers: random and mutated input gives
 * a typed value or a `ProtocolError`, never any other exception.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseClientFrame } from "./client_frames.ts";
import { parseConversationRecord } from "./conversation_record.ts";
import { parseAdmissionResponse } from "./admission_response.ts";
import { parseServerFrame } from "./server_frames.ts";
import { ProtocolError } from "./validate.ts";

const ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
const PEER = "01JD3Q8Z5W0000000000000000";
const KEY = "A".repeat(43);
const SIG = "A".repeat(86);
const BUNDLE = { v: 2, sign: KEY, dh: KEY, access: SIG };
const OPTIONS = { maxBodyLength: 4096 };

const VALID_SERVER_FRAMES: Record<string, unknown>[] = [
  { type: "challenge", nonce: KEY },
  { type: "ready", peers: [{ id: PEER, online: true }] },
  { type: "message", id: ID, from: PEER, body: "AAAA" },
  { type: "ack", id: ID, from: PEER },
  { type: "presence", participantId: PEER, online: false },
  { type: "joined", participant: { id: PEER, bundle: BUNDLE } },
  { type: "closed", reason: "expired" },
  { type: "extend_requested", expiresAt: "2026-12-02T15:00:00.000Z" },
  { type: "extended", expiresAt: "2026-12-02T15:00:00.000Z" },
  { type: "error", code: "peer_offline", message: "The recipient is offline" },
  { type: "ping" },
];

const VALID_CLIENT_FRAMES: Record<string, unknown>[] = [
  { type: "auth", participantId: PEER, signature: SIG },
  { type: "send", id: ID, to: PEER, body: "AAAA" },
  { type: "ack", id: ID, to: PEER },
  { type: "delete" },
  { type: "extend", expiresAt: "2026-12-02T15:00:00.000Z" },
  { type: "pong" },
];

const RECORD = {
  version: 1,
  id: ID,
  createdAt: "2026-11-24T15:00:00.000Z",
  modifiedAt: "2026-11-24T15:00:00.000Z",
  expiresAt: "2026-12-01T15:00:00.000Z",
  accessKey: KEY,
  participants: [{ id: PEER, bundle: BUNDLE }],
};

/** A valid object with one field replaced, removed, or one field added. */
function mutated(valid: Record<string, unknown>[]) {
  return fc.tuple(fc.constantFrom(...valid), fc.jsonValue(), fc.string(), fc.nat()).map(
    ([base, value, key, n]) => {
      const copy: Record<string, unknown> = structuredClone(base);
      const keys = Object.keys(copy);
      const target = keys[n % keys.length];
      switch (n % 3) {
        case 0:
          copy[target] = value;
          break;
        case 1:
          delete copy[target];
          break;
        default:
          copy[key || "extra"] = value;
      }
      return copy;
    },
  );
}

/** Text that is a mutated valid encoding: a character changed, cut or doubled. */
function mutatedText(valid: Record<string, unknown>[]) {
  return fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
    .map(([base, n, char]) => {
      const text = JSON.stringify(base);
      const at = n % text.length;
      switch (n % 3) {
        case 0:
          return text.slice(0, at) + char + text.slice(at + 1);
        case 1:
          return text.slice(0, at);
        default:
          return text + text.slice(at);
      }
    });
}

/** Calls `parse`; only a `ProtocolError` may escape. */
function onlyProtocolErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ProtocolError, `unexpected ${String(error)}`);
    assert.ok((error as Error).message.length > 0);
  }
}

Deno.test("parseServerFrame() meets random and mutated input with clear errors only", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
        mutated(VALID_SERVER_FRAMES).map((v) => JSON.stringify(v)),
        mutatedText(VALID_SERVER_FRAMES),
      ),
      (text) => onlyProtocolErrors(() => parseServerFrame(text, OPTIONS)),
    ),
    { numRuns: 3000 },
  );
});

Deno.test("parseClientFrame() meets random and mutated input with clear errors only", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
        mutated(VALID_CLIENT_FRAMES).map((v) => JSON.stringify(v)),
        mutatedText(VALID_CLIENT_FRAMES),
      ),
      (text) => onlyProtocolErrors(() => parseClientFrame(text, OPTIONS)),
    ),
    { numRuns: 3000 },
  );
});

Deno.test("parseConversationRecord() meets mutated records with clear errors only", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.jsonValue(), mutated([RECORD])),
      (value) => {
        onlyProtocolErrors(() => parseConversationRecord(value));
        onlyProtocolErrors(() =>
          parseAdmissionResponse({ conversation: value, participantId: PEER })
        );
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("a parsed frame is always one of the contract shapes", () => {
  fc.assert(
    fc.property(mutated(VALID_SERVER_FRAMES), (value) => {
      let frame;
      try {
        frame = parseServerFrame(JSON.stringify(value), OPTIONS);
      } catch {
        return;
      }
      assert.ok(VALID_SERVER_FRAMES.some((v) => v.type === frame.type));
      // Only known fields survive parsing.
      const known = Object.keys(VALID_SERVER_FRAMES.find((v) => v.type === frame.type)!);
      assert.deepEqual(Object.keys(frame).sort(), known.sort());
    }),
    { numRuns: 2000 },
  );
});
