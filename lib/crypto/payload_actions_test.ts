import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import { encodePayload, parsePayload, type Payload } from "./payload.ts";
import { MAX_TEXT_BYTES } from "./payload_limits.ts";
import { REACTION_EMOJI } from "./payload_actions.ts";

const ID = "01JGZ5Q3V0K8N9P2R4S6T7W8XY";
const TARGET = "01JGZ5Q3V0K8N9P2R4S6T7W8XZ";
const SENT_AT = 1767225600000;

const REPLY: Payload = {
  v: 2,
  type: "reply",
  id: ID,
  text: "Yes, see you then",
  replyTo: TARGET,
  sentAt: SENT_AT,
  expiresIn: 300,
};
const REACTION: Payload = {
  v: 2,
  type: "reaction",
  id: ID,
  target: TARGET,
  emoji: "👍",
  sentAt: SENT_AT,
};
const EDIT: Payload = {
  v: 2,
  type: "edit",
  id: ID,
  target: TARGET,
  text: "fixed",
  sentAt: SENT_AT,
  expiresIn: 300,
};
const DELETE: Payload = { v: 2, type: "delete", id: ID, target: TARGET, sentAt: SENT_AT };

function parse(value: unknown): Payload {
  return parsePayload(utf8(JSON.stringify(value)));
}

Deno.test("reply, reaction, edit and delete payloads round-trip", () => {
  for (const payload of [REPLY, REACTION, EDIT, DELETE]) {
    assert.deepEqual(parsePayload(encodePayload(payload)), payload);
  }
  for (const emoji of [...REACTION_EMOJI, ""]) {
    assert.deepEqual(parse({ ...REACTION, emoji }), { ...REACTION, emoji });
  }
});

Deno.test("an edit sealed before edits told their message's timer opens as one that tells none", () => {
  const { expiresIn: _, ...older } = EDIT as Extract<Payload, { type: "edit" }>;
  assert.deepEqual(parse(older), { ...EDIT, expiresIn: 0 });
});

Deno.test("action payloads with a bad or missing field are refused with the field's name", () => {
  const cases: [unknown, RegExp][] = [
    [{ ...REACTION, emoji: "🔥" }, /^Invalid payload: "emoji" must be one of 👍 .* or empty$/],
    [{ ...REACTION, emoji: "👍👍" }, /"emoji" must be one of/],
    [{ ...REACTION, emoji: 1 }, /"emoji" must be one of/],
    [{ ...REACTION, target: "not-a-ulid" }, /^Invalid payload: "target" must be a ULID$/],
    [{ ...DELETE, target: null }, /"target" must be a ULID/],
    [{ ...EDIT, target: TARGET.toLowerCase() }, /"target" must be a ULID/],
    [{ ...REPLY, replyTo: "" }, /^Invalid payload: "replyTo" must be a ULID$/],
    [{ ...REPLY, expiresIn: 60 }, /^Invalid payload: "expiresIn" must be one of 0, 300/],
    [{ ...EDIT, text: 42 }, /^Invalid payload: "text" must be a string$/],
    [
      { ...EDIT, text: "x".repeat(MAX_TEXT_BYTES + 1) },
      new RegExp(`"text" is ${MAX_TEXT_BYTES + 1} bytes, above ${MAX_TEXT_BYTES}`),
    ],
    [{ ...DELETE, sentAt: -1 }, /^Invalid payload: "sentAt" must be a non-negative integer$/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parse(value), { name: "TypeError", message }, JSON.stringify(value));
  }
});

Deno.test("action payloads want exactly their own keys", () => {
  const { target: _, ...noTarget } = DELETE as Extract<Payload, { type: "delete" }>;
  const cases: [unknown, RegExp][] = [
    [noTarget, /^Invalid payload: missing key "target"$/],
    [{ ...DELETE, text: "gone" }, /^Invalid payload: unexpected key "text"$/],
    // A quoted text is never part of a reply: the receiver shows its own copy.
    [{ ...REPLY, quote: "what they said" }, /^Invalid payload: unexpected key "quote"$/],
    [{ ...REACTION, emojis: ["👍"] }, /unexpected key "emojis"/],
    [{ ...REACTION, expiresIn: 0 }, /unexpected key "expiresIn"/],
    [{ ...EDIT, expiresIn: 60 }, /^Invalid payload: "expiresIn" must be one of 0, 300/],
    [{ ...REPLY, type: "quote" }, /^Invalid payload: unsupported type "quote"$/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parse(value), { name: "TypeError", message }, JSON.stringify(value));
  }
});

Deno.test("encodePayload() refuses to send an action payload a receiver would refuse", () => {
  assert.throws(() => encodePayload({ ...REACTION, emoji: "💩" } as Payload), TypeError);
  assert.throws(() => encodePayload({ ...EDIT, target: "x" } as Payload), TypeError);
});
