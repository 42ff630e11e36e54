import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import { encodePayload, parsePayload, type Payload } from "./payload.ts";
import { isCallPayload, MAX_CANDIDATES, MAX_SDP_CHARS } from "./payload_call.ts";
import { loadCallChecks } from "./payload_call_loader.ts";
import { SDP } from "../../tests/fixtures/sdp.ts";

const ID = "01JGZ5Q3V0K8N9P2R4S6T7W8XY";
const CALL = "AAECAwQFBgcICQoLDA0ODw";
const KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const SENT_AT = 1767225600000;

const OFFER: Payload = {
  v: 2,
  type: "call-offer",
  id: ID,
  call: CALL,
  media: "video",
  sdp: SDP,
  key: KEY,
  frames: true,
  sentAt: SENT_AT,
};
const ANSWER: Payload = {
  v: 2,
  type: "call-answer",
  id: ID,
  call: CALL,
  sdp: SDP,
  key: KEY,
  frames: false,
  sentAt: SENT_AT,
};
const ICE: Payload = {
  v: 2,
  type: "call-ice",
  id: ID,
  call: CALL,
  candidates: [{
    candidate: "candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0",
    sdpMid: "0",
    sdpMLineIndex: 0,
  }],
  sentAt: SENT_AT,
};
const RING: Payload = { v: 2, type: "call-ring", id: ID, call: CALL, sentAt: SENT_AT };
const DECLINE: Payload = { v: 2, type: "call-decline", id: ID, call: CALL, sentAt: SENT_AT };
const END: Payload = {
  v: 2,
  type: "call-end",
  id: ID,
  call: CALL,
  reason: "hangup",
  sentAt: SENT_AT,
};
const RESTART: Payload = {
  v: 2,
  type: "call-restart",
  id: ID,
  call: CALL,
  n: 1,
  sdp: SDP,
  sentAt: SENT_AT,
};
const RESTART_ANSWER: Payload = { ...RESTART, type: "call-restart-answer", n: 7 };

function parseJson(value: unknown): Payload {
  return parsePayload(utf8(JSON.stringify(value)));
}

Deno.test("a call payload is refused as of an unsupported type until its checks are loaded", async () => {
  for (const payload of [OFFER, RING]) {
    assert.throws(() => parseJson(payload), /unsupported type "call-/);
    assert.throws(() => encodePayload(payload), /unsupported type "call-/);
  }
  await loadCallChecks();
  assert.deepEqual(parseJson(OFFER), OFFER);
  assert.deepEqual(parseJson(RING), RING);
  assert.throws(() => parseJson({ ...RING, type: "call-hold" }), /unsupported type "call-hold"/);
});

Deno.test("every call payload type round-trips and is told from a message", async () => {
  await loadCallChecks();
  for (const payload of [OFFER, ANSWER, ICE, RING, DECLINE, END, RESTART, RESTART_ANSWER]) {
    assert.deepEqual(parsePayload(encodePayload(payload)), payload);
    assert.ok(isCallPayload(payload));
  }
  assert.equal(isCallPayload({ type: "text" }), false);
});

Deno.test("call payloads with bad fields are refused with the field's name", async () => {
  await loadCallChecks();
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ...OFFER, media: "screen" }, /"media"/],
    [{ ...RESTART, n: 0 }, /"n"/],
    [{ ...RESTART_ANSWER, n: 1.5 }, /"n"/],
    [{ ...RESTART, sdp: "m=audio" }, /"sdp"/],
    [{ ...OFFER, sdp: "o=- no version line" }, /"sdp"/],
    [{ ...OFFER, sdp: SDP + "a=x:\u0000\r\n" }, /"sdp"/],
    [{ ...OFFER, sdp: SDP + "a=é\r\n" }, /"sdp"/],
    [{ ...OFFER, sdp: SDP + "a=x\r\n".repeat(MAX_SDP_CHARS / 5) }, /"sdp"/],
    [{ ...OFFER, key: KEY.slice(0, 42) }, /key/],
    [{ ...OFFER, key: KEY + "AAAA" }, /key/],
    [{ ...OFFER, call: "short" }, /call/],
    [{ ...OFFER, call: undefined }, /missing key "call"/],
    [{ ...OFFER, frames: "yes" }, /"frames"/],
    [{ ...ANSWER, frames: undefined }, /missing key "frames"/],
    [{ ...OFFER, extra: 1 }, /unexpected key "extra"/],
    [{ ...RING, sdp: SDP }, /unexpected key "sdp"/],
    [{ ...END, reason: "because" }, /"reason"/],
    [{ ...END, reason: undefined }, /missing key "reason"/],
    [{ ...ICE, candidates: [] }, /"candidates"/],
    [{ ...ICE, candidates: Array(MAX_CANDIDATES + 1).fill(ICE.candidates[0]) }, /"candidates"/],
    [{ ...ICE, candidates: [{ ...ICE.candidates[0], usernameFragment: "x" }] }, /has keys/],
    [{ ...ICE, candidates: [{ ...ICE.candidates[0], candidate: "a=inject" }] }, /candidate line/],
    [
      { ...ICE, candidates: [{ ...ICE.candidates[0], candidate: "candidate:" + "1".repeat(600) }] },
      /candidate line/,
    ],
    [
      { ...ICE, candidates: [{ ...ICE.candidates[0], candidate: "candidate:1\r\na=x" }] },
      /candidate line/,
    ],
    [{ ...ICE, candidates: [{ ...ICE.candidates[0], sdpMid: "" }] }, /media ID/],
    [{ ...ICE, candidates: [{ ...ICE.candidates[0], sdpMLineIndex: 64 }] }, /sdpMLineIndex/],
    [{ ...ICE, candidates: [null] }, /candidate objects/],
  ];
  for (const [value, message] of bad) {
    assert.throws(() => parseJson(value), message, JSON.stringify(value).slice(0, 120));
  }
});

Deno.test("an end-of-candidates marker (an empty candidate) is accepted", async () => {
  await loadCallChecks();
  const done = { ...ICE, candidates: [{ candidate: "", sdpMid: "1", sdpMLineIndex: 1 }] };
  assert.deepEqual(parseJson(done), done);
});
