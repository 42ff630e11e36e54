/**
 * The relay's frame scanner says yes only to frames `parseClientFrame`
 * accepts with the same fields, and builds the frames `JSON.stringify`
 * would: known answers, hostile frames, and properties over random and
 * mutated frames.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { type ClientFrame, parseClientFrame } from "./client_frames.ts";
import {
  ackFrameFromAck,
  carriedFrame,
  carriesFrom,
  messageFrameFromSend,
  SCANNED_ACK,
  SCANNED_CARRIED,
  SCANNED_NONE,
  SCANNED_SEND,
  scannedTo,
  scanRelayFrame,
} from "./relay_frame_scanner.ts";
import { ProtocolError } from "./validate.ts";

const ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
const PEER = "01JD3Q8Z5W0000000000000000";
const FROM = "01JD3Q8Z5XZZZZZZZZZZZZZZZZ";
const MAX = 4096;
const ULID_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const send = (body: unknown, id: unknown = ID, to: unknown = PEER) =>
  JSON.stringify({ type: "send", id, to, body });
const ack = (id: unknown = ID, to: unknown = PEER) => JSON.stringify({ type: "ack", id, to });
/** A send frame as browsers write it: carrying the `message` frame to pass on. */
const carried = (body: unknown, id: unknown = ID, to: unknown = PEER, from: unknown = FROM) =>
  JSON.stringify({ type: "send", to, frame: { type: "message", id, from, body } });

/** The frame as `parseClientFrame` reads it, or null when it refuses it. */
function parsed(text: string, maxBodyLength = MAX): ClientFrame | null {
  try {
    return parseClientFrame(text, { maxBodyLength });
  } catch (error) {
    assert.ok(error instanceof ProtocolError, `unexpected ${String(error)}`);
    return null;
  }
}

/** Holds the scanner to the parser: a scanned frame parses to the same fields and frames. */
function assertAgrees(text: string, maxBodyLength = MAX): void {
  const scanned = scanRelayFrame(text, maxBodyLength);
  if (scanned === SCANNED_NONE) return;
  const frame = parsed(text, maxBodyLength);
  assert.ok(frame !== null, `scanned but refused: ${JSON.stringify(text.slice(0, 200))}`);
  if (scanned === SCANNED_CARRIED) {
    assert.equal(frame.type, "send");
    if (frame.type !== "send" || frame.from === undefined) return assert.fail("no sender");
    assert.equal(scannedTo(text, scanned), frame.to);
    assert.ok(carriesFrom(text, frame.from));
    assert.ok(!carriesFrom(text, frame.from === FROM ? PEER : FROM));
    assert.equal(
      carriedFrame(text),
      JSON.stringify({ type: "message", id: frame.id, from: frame.from, body: frame.body }),
    );
  } else if (scanned === SCANNED_SEND) {
    assert.equal(frame.type, "send");
    if (frame.type !== "send") return;
    assert.equal(scannedTo(text, scanned), frame.to);
    assert.equal(
      messageFrameFromSend(text, FROM),
      JSON.stringify({ type: "message", id: frame.id, from: FROM, body: frame.body }),
    );
  } else {
    assert.equal(frame.type, "ack");
    if (frame.type !== "ack") return;
    assert.equal(scannedTo(text, scanned), frame.to);
    assert.equal(
      ackFrameFromAck(text, FROM),
      JSON.stringify({ type: "ack", id: frame.id, from: FROM }),
    );
  }
}

Deno.test("the scanner recognizes send and ack frames as clients write them, and builds the frames to pass on", () => {
  const text = send("AQID");
  assert.equal(scanRelayFrame(text, MAX), SCANNED_SEND);
  assert.equal(scannedTo(text, SCANNED_SEND), PEER);
  assert.equal(
    messageFrameFromSend(text, FROM),
    `{"type":"message","id":"${ID}","from":"${FROM}","body":"AQID"}`,
  );
  assert.equal(scanRelayFrame(send(""), MAX), SCANNED_SEND);
  assert.equal(scanRelayFrame(send("AQ"), MAX), SCANNED_SEND);
  assert.equal(scanRelayFrame(send("AQI"), MAX), SCANNED_SEND);
  assert.equal(scanRelayFrame(send("A".repeat(MAX)), MAX), SCANNED_SEND);
  const big = encodeBase64Url(crypto.getRandomValues(new Uint8Array(60_000)));
  assert.equal(scanRelayFrame(send(big), 80_000), SCANNED_SEND);
  assert.equal(scanRelayFrame(ack(), MAX), SCANNED_ACK);
  assert.equal(scannedTo(ack(), SCANNED_ACK), PEER);
  const carrying = carried("AQID");
  assert.equal(scanRelayFrame(carrying, MAX), SCANNED_CARRIED);
  assert.equal(scannedTo(carrying, SCANNED_CARRIED), PEER);
  assert.ok(carriesFrom(carrying, FROM));
  assert.ok(!carriesFrom(carrying, PEER));
  assert.ok(!carriesFrom(carrying, FROM.slice(0, -1)));
  assert.equal(
    carriedFrame(carrying),
    `{"type":"message","id":"${ID}","from":"${FROM}","body":"AQID"}`,
  );
  for (const b of ["", "AQ", "AQI", "A".repeat(MAX)]) {
    assert.equal(scanRelayFrame(carried(b), MAX), SCANNED_CARRIED);
  }
  assert.equal(scanRelayFrame(carried(big), 80_000), SCANNED_CARRIED);
  assert.equal(ackFrameFromAck(ack(), FROM), `{"type":"ack","id":"${ID}","from":"${FROM}"}`);
});

Deno.test("the scanner leaves every hostile or unusual frame to the parser", () => {
  // Spellings the parser accepts, but not the scanner; of duplicate keys JSON keeps the last.
  const unusual = [
    send("AAAA").slice(0, -1) + ',"body":"BBBB"}',
    '{"type":"send","id":"' + ID + '","to":"' + PEER + '","body":"AAAA","body":"BBBB"}',
    '{"type":"send","id":"' + ID + '","id":"' + ID + '","to":"' + PEER + '","body":"AAAA"}',
    '{"type":"send","id":"' + ID + '","to":"' + PEER + '","body":"\\u0041AAA"}',
    '{"type": "send","id":"' + ID + '","to":"' + PEER + '","body":"AAAA"}',
    JSON.stringify({ type: "send", to: PEER, id: ID, body: "AAAA" }),
    JSON.stringify({ id: ID, type: "ack", to: PEER }),
    send("AAAA") + " ",
    carried("AAAA").replace('"frame":{', '"frame": {'),
    JSON.stringify({
      type: "send",
      frame: { type: "message", id: ID, from: FROM, body: "AA" },
      to: PEER,
    }),
    JSON.stringify({
      type: "send",
      to: PEER,
      frame: { id: ID, type: "message", from: FROM, body: "AA" },
    }),
    carried("AAAA").slice(0, -2) + ',"body":"BBBB"}}',
  ];
  const malformed = [
    // Body: too long, not canonical, wrong length mod 4, outside the alphabet, escaped, wrong type.
    send("A".repeat(MAX + 1)),
    send("AR"),
    send("AQJ"),
    send("AAAAA"),
    send("AA=="),
    send("AA+/"),
    send("AA A"),
    send("AAAA\n"),
    send("AA\u00e9A"),
    send(1234),
    send(null),
    send(["AAAA"]),
    // IDs: lower case, excluded letters, too short or long, not strings.
    send("AAAA", ID.toLowerCase()),
    send("AAAA", ID.slice(0, -1) + "U"),
    send("AAAA", ID, PEER.slice(0, -1) + "I"),
    send("AAAA", ID.slice(1)),
    send("AAAA", ID, PEER + "0"),
    send("AAAA", 1),
    ack(ID, PEER.slice(0, -1) + "O"),
    ack(ID + "0"),
    ack(ID, null),
    // Shape: extra and missing fields, whitespace, other order, trailing text.
    send("AAAA").slice(0, -1) + ',"x":1}',
    ack().slice(0, -1) + ',"body":"AAAA"}',
    '{"type":"send","id":"' + ID + '","to":"' + PEER + '"}',
    '{"type":"ack","id":"' + ID + '"}',
    send("AAAA") + "x",
    ack() + "}",
    send("AAAA").slice(0, -1),
    ack().slice(0, -1),
    '{"type":"send","id":"' + ID + '","to":"' + PEER + '","body":"AAAA"',
    '{"type":"send","id":"' + ID + '","to":"' + PEER + '","body":"',
    '{"type":"send","id":"',
    '{"type":"ack","id":"' + ID + '","to":"' + PEER + '"]',
    "",
    "{}",
    send("AAAA").replace("send", "sent"),
    ack().replace("ack", "auth"),
    // A carried frame: bad body, bad IDs, another type, extra or missing fields, cut or added text.
    carried("A".repeat(MAX + 1)),
    carried("AR"),
    carried("AAAAA"),
    carried("AA=="),
    carried(7),
    carried("AAAA", ID.toLowerCase()),
    carried("AAAA", ID, PEER.slice(1)),
    carried("AAAA", ID, PEER, FROM + "0"),
    carried("AAAA", ID, PEER, null),
    carried("AAAA").replace('"message"', '"ack"'),
    carried("AAAA").replace('"message"', '"send"'),
    carried("AAAA").slice(0, -2) + ',"x":1}}',
    carried("AAAA").slice(0, -1) + ',"x":1}',
    JSON.stringify({ type: "send", to: PEER, frame: { type: "message", id: ID, body: "AAAA" } }),
    JSON.stringify({
      type: "send",
      to: PEER,
      id: ID,
      frame: { type: "message", id: ID, from: FROM, body: "AA" },
    }),
    JSON.stringify({ type: "send", to: PEER, frame: "AAAA" }),
    JSON.stringify({ type: "send", to: PEER, frame: null }),
    carried("AAAA").slice(0, -1),
    carried("AAAA") + "}",
  ];
  for (const text of [...unusual, ...malformed]) {
    assert.equal(scanRelayFrame(text, MAX), SCANNED_NONE, JSON.stringify(text.slice(0, 120)));
  }
  // Left to the parser, the unusual ones are read as before and the malformed ones refused.
  for (const text of unusual) assert.notEqual(parsed(text), null, text);
  for (const text of malformed) {
    assert.equal(parsed(text), null, JSON.stringify(text.slice(0, 120)));
  }
});

const ulid = fc.string({ unit: fc.constantFrom(...ULID_CHARS), minLength: 26, maxLength: 26 });
const body = fc.uint8Array({ maxLength: 300 }).map(encodeBase64Url);
const validFrame = fc.oneof(
  fc.tuple(body, ulid, ulid, ulid).map(([b, id, to, from]) => carried(b, id, to, from)),
  fc.tuple(body, ulid, ulid).map(([b, id, to]) => send(b, id, to)),
  fc.tuple(ulid, ulid).map(([id, to]) => ack(id, to)),
);

Deno.test("every send and ack frame a client writes is scanned, with the parser's fields", () => {
  fc.assert(
    fc.property(validFrame, (text) => {
      assert.notEqual(scanRelayFrame(text, MAX), SCANNED_NONE, text);
      assertAgrees(text);
    }),
    { numRuns: 5000 },
  );
});

Deno.test("a scanned frame is one the parser accepts, whatever is changed, cut or added", () => {
  const chars = [...'AZaz09-_"\\{}:, =+/\n\u00e9\u0000\uFEFF', "\ud83d\ude00", "U", "I"];
  fc.assert(
    fc.property(
      validFrame,
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...chars)), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.nat({ max: 400 }),
      (text, edits, maxBodyLength) => {
        let mutated = text;
        for (const [at, kind, char] of edits) {
          const i = at % (mutated.length + 1);
          mutated = kind === 0
            ? mutated.slice(0, i) + char + mutated.slice(i + 1)
            : kind === 1
            ? mutated.slice(0, i) + char + mutated.slice(i)
            : mutated.slice(0, i) + mutated.slice(i + 1);
        }
        assertAgrees(mutated, maxBodyLength);
        assertAgrees(mutated);
      },
    ),
    { numRuns: 20_000 },
  );
});
