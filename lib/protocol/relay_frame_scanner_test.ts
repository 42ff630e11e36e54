/**
 * The relay's frame scanner takes only frames `parseClientFrame` accepts
 * with the same fields, from its sender to its recipient, and builds the
 * frames `JSON.stringify` would: known answers, hostile frames, and
 * properties over random and mutated frames.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { type ClientFrame, parseClientFrame } from "./client_frames.ts";
import { RelaySpelling } from "./relay_frame_scanner.ts";
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

/** The scanner of frames from FROM to PEER. */
const spelling = new RelaySpelling(FROM, PEER);

/** Whether the scanner takes `text`, as a `send` or an `ack`. */
const taken = (text: string, maxBodyLength = MAX) =>
  spelling.message(text, maxBodyLength) !== null || spelling.ack(text) !== null;

/** Holds the scanner to the parser: a frame it takes parses to the same fields and frames. */
function assertAgrees(text: string, maxBodyLength = MAX): void {
  const message = spelling.message(text, maxBodyLength);
  const ack = spelling.ack(text);
  if (message === null && ack === null) return;
  assert.ok(message === null || ack === null, "taken as both");
  const frame = parsed(text, maxBodyLength);
  assert.ok(frame !== null, `taken but refused: ${JSON.stringify(text.slice(0, 200))}`);
  if (message !== null) {
    if (frame.type !== "send") return assert.fail(`taken as a send: ${frame.type}`);
    assert.equal(frame.to, PEER);
    assert.ok(frame.from === undefined || frame.from === FROM);
    assert.equal(
      message,
      JSON.stringify({ type: "message", id: frame.id, from: FROM, body: frame.body }),
    );
  } else {
    if (frame.type !== "ack") return assert.fail(`taken as an ack: ${frame.type}`);
    assert.equal(frame.to, PEER);
    assert.equal(ack, JSON.stringify({ type: "ack", id: frame.id, from: FROM }));
  }
}

Deno.test("the scanner takes send and ack frames as clients write them, and builds the frames to pass on", () => {
  const message = (body: string) =>
    `{"type":"message","id":"${ID}","from":"${FROM}","body":"${body}"}`;
  assert.equal(spelling.message(send("AQID"), MAX), message("AQID"));
  assert.equal(spelling.message(carried("AQID"), MAX), message("AQID"));
  assert.equal(spelling.ack(ack()), `{"type":"ack","id":"${ID}","from":"${FROM}"}`);
  for (const b of ["", "AQ", "AQI", "A".repeat(MAX)]) {
    assert.equal(spelling.message(send(b), MAX), message(b));
    assert.equal(spelling.message(carried(b), MAX), message(b));
  }
  const big = encodeBase64Url(crypto.getRandomValues(new Uint8Array(60_000)));
  assert.equal(spelling.message(send(big), 80_000), message(big));
  assert.equal(spelling.message(carried(big), 80_000), message(big));
  // One kind is not taken as the other.
  assert.equal(spelling.ack(carried("AQID")), null);
  assert.equal(spelling.ack(send("AQID")), null);
  assert.equal(spelling.message(ack(), MAX), null);
  // The other direction has its own spelling.
  assert.equal(
    new RelaySpelling(PEER, FROM).ack(ack(ID, FROM)),
    `{"type":"ack","id":"${ID}","from":"${PEER}"}`,
  );
});

Deno.test("the scanner leaves a frame to anyone else, or carried from anyone else, to the parser", () => {
  const OTHER = "01JD3Q8Z5Y1111111111111111";
  for (const to of [FROM, OTHER, PEER.toLowerCase()]) {
    assert.equal(spelling.message(send("AQID", ID, to), MAX), null, to);
    assert.equal(spelling.message(carried("AQID", ID, to), MAX), null, to);
    assert.equal(spelling.ack(ack(ID, to)), null, to);
  }
  for (const from of [PEER, OTHER, FROM.toLowerCase(), FROM.slice(1)]) {
    assert.equal(spelling.message(carried("AQID", ID, PEER, from), MAX), null, from);
  }
  // The parser reads them as before: a carried frame from another is a send, which the relay
  // then refuses as not from its sender (tests/relay_scanner_test.ts).
  assert.equal(parsed(carried("AQID", ID, PEER, OTHER))?.type, "send");
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
    assert.ok(!taken(text), JSON.stringify(text.slice(0, 120)));
  }
  // Left to the parser, the unusual ones are read as before and the malformed ones refused.
  for (const text of unusual) assert.notEqual(parsed(text), null, text);
  for (const text of malformed) {
    assert.equal(parsed(text), null, JSON.stringify(text.slice(0, 120)));
  }
});

const ulid = fc.string({ unit: fc.constantFrom(...ULID_CHARS), minLength: 26, maxLength: 26 });
const body = fc.uint8Array({ maxLength: 300 }).map(encodeBase64Url);
/** A valid frame of either kind from `from` to `to`; an ack or a plain send carries no `from`. */
const frameOf = (to: fc.Arbitrary<string>, from: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.tuple(body, ulid, to, from).map(([b, id, to, from]) => ({
      text: carried(b, id, to, from),
      to,
      from,
    })),
    fc.tuple(body, ulid, to).map(([b, id, to]) => ({ text: send(b, id, to), to, from: FROM })),
    fc.tuple(ulid, to).map(([id, to]) => ({ text: ack(id, to), to, from: FROM })),
  );
const validFrame = frameOf(fc.constant(PEER), fc.constant(FROM)).map(({ text }) => text);
const anyFrame = frameOf(
  fc.oneof(fc.constant(PEER), fc.constant(FROM), ulid),
  fc.oneof(fc.constant(FROM), fc.constant(PEER), ulid),
);

Deno.test("every send and ack frame a client writes to its peer is taken, with the parser's fields", () => {
  fc.assert(
    fc.property(validFrame, (text) => {
      assert.ok(taken(text), text);
      assertAgrees(text);
    }),
    { numRuns: 5000 },
  );
});

Deno.test("a frame is taken only from its sender to its recipient", () => {
  fc.assert(
    fc.property(anyFrame, ({ text, to, from }) => {
      assert.equal(taken(text), to === PEER && from === FROM, text);
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
