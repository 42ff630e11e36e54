import assert from "node:assert/strict";
import {
  CONVERSATION_ID,
  CREATOR_ID,
  JOINER_ID,
  makeSessionPair,
} from "../../tests/fixtures/session_pair.ts";
import { utf8 } from "./encoding.ts";
import {
  decodeHeader,
  encodeEnvelope,
  encodeHeader,
  messageAd,
  type MessageAdOptions,
  parseEnvelope,
} from "./envelope.ts";
import { openMessage, sealMessage } from "./message.ts";
import { cloneState, RatchetError } from "./ratchet.ts";

const HEADER = {
  dh: new Uint8Array(32).fill(0xd1),
  pn: 0x01020304,
  n: 0xfffffffe,
  salt: Uint8Array.from({ length: 16 }, (_, i) => 0x50 + i),
};
const HANDSHAKE = { ek: new Uint8Array(32).fill(0xe1), ct: new Uint8Array(1088).fill(0xc1) };
const CIPHERTEXT = new Uint8Array(272).fill(0xaa);

/** A well-formed envelope of the previous format: version 2, a 40-byte header without salt. */
function encodeV2Envelope(): Uint8Array {
  return Uint8Array.of(2, 0, ...HEADER.dh, 1, 2, 3, 4, 0, 0, 0, 7, ...CIPHERTEXT);
}

Deno.test("encodeHeader() writes dh, then pn and n as unsigned 32-bit big-endian, then the salt", () => {
  const bytes = encodeHeader(HEADER);
  assert.equal(bytes.length, 56);
  assert.deepEqual(bytes.subarray(0, 32), HEADER.dh);
  assert.deepEqual([...bytes.subarray(32, 40)], [1, 2, 3, 4, 0xff, 0xff, 0xff, 0xfe]);
  assert.deepEqual(bytes.subarray(40), HEADER.salt);
  assert.deepEqual(decodeHeader(bytes), HEADER);
  assert.throws(() => encodeHeader({ ...HEADER, n: 2 ** 32 }), TypeError);
  assert.throws(() => encodeHeader({ ...HEADER, pn: -1 }), TypeError);
  assert.throws(() => encodeHeader({ ...HEADER, dh: new Uint8Array(33) }), TypeError);
  assert.throws(() => encodeHeader({ ...HEADER, salt: new Uint8Array(15) }), {
    name: "TypeError",
    message: 'Invalid ratchet header: "salt" must be 16 bytes',
  });
  assert.throws(() => decodeHeader(new Uint8Array(40)), {
    name: "TypeError",
    message: "Invalid ratchet header: expected 56 bytes, got 40",
  });
});

Deno.test("an envelope without a handshake round-trips through its exact layout", () => {
  const bytes = encodeEnvelope({ header: HEADER, ciphertext: CIPHERTEXT });
  assert.equal(bytes.length, 2 + 56 + CIPHERTEXT.length);
  assert.deepEqual([bytes[0], bytes[1]], [0x03, 0x00]);
  assert.deepEqual(parseEnvelope(bytes), {
    header: HEADER,
    handshake: null,
    ciphertext: CIPHERTEXT,
  });
});

Deno.test("an envelope with a handshake sets flag bit 0 and carries ek then ct", () => {
  const bytes = encodeEnvelope({ header: HEADER, handshake: HANDSHAKE, ciphertext: CIPHERTEXT });
  assert.equal(bytes.length, 2 + 56 + 32 + 1088 + CIPHERTEXT.length);
  assert.deepEqual([bytes[0], bytes[1]], [0x03, 0x01]);
  assert.deepEqual(bytes.subarray(58, 90), HANDSHAKE.ek);
  assert.deepEqual(bytes.subarray(90, 1178), HANDSHAKE.ct);
  assert.deepEqual(parseEnvelope(bytes), {
    header: HEADER,
    handshake: HANDSHAKE,
    ciphertext: CIPHERTEXT,
  });
});

Deno.test("parseEnvelope() refuses other versions and malformed bytes with a TypeError", () => {
  const valid = encodeEnvelope({ header: HEADER, handshake: HANDSHAKE, ciphertext: CIPHERTEXT });
  const cases: [Uint8Array, string][] = [
    [new Uint8Array(), "Invalid envelope: empty"],
    [
      Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9),
      "Unsupported envelope version 1: sent by an older version",
    ],
    [
      encodeV2Envelope(),
      "Unsupported envelope version 2: sent by an older version",
    ],
    [Uint8Array.of(4), "Unsupported envelope version 4"],
    [Uint8Array.of(3), "Invalid envelope: missing flags"],
    [
      Uint8Array.of(3, 2, ...new Uint8Array(80)),
      "Invalid envelope: a session reset offer is not a message",
    ],
    [Uint8Array.of(3, 3, ...new Uint8Array(80)), "Invalid envelope: unknown flags 0x03"],
    [Uint8Array.of(3, 0x81, ...new Uint8Array(80)), "Invalid envelope: unknown flags 0x81"],
    [
      new Uint8Array([3, 0, ...new Uint8Array(71)]),
      "Invalid envelope: expected at least 74 bytes, got 73",
    ],
    [valid.subarray(0, 1193), "Invalid envelope: expected at least 1194 bytes, got 1193"],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => parseEnvelope(bytes), { name: "TypeError", message });
  }
  assert.throws(
    () => encodeEnvelope({ header: HEADER, ciphertext: new Uint8Array(15) }),
    TypeError,
  );
  assert.throws(
    () =>
      encodeEnvelope({
        header: HEADER,
        handshake: { ...HANDSHAKE, ct: new Uint8Array(1087) },
        ciphertext: CIPHERTEXT,
      }),
    { name: "TypeError", message: 'Invalid handshake: "ct" must be 1088 bytes' },
  );
});

Deno.test("messageAd() concatenates the context, IDs, identity keys and handshake", () => {
  const options: MessageAdOptions = {
    conversationId: CONVERSATION_ID,
    from: JOINER_ID,
    to: CREATOR_ID,
    fromSign: new Uint8Array(32).fill(1),
    toSign: new Uint8Array(32).fill(2),
  };
  const plain = messageAd(options);
  assert.equal(plain.length, 11 + 3 * 26 + 64);
  assert.deepEqual(
    plain.subarray(0, 89),
    utf8("anon/v3/msg" + CONVERSATION_ID + JOINER_ID + CREATOR_ID),
  );
  assert.deepEqual(messageAd({ ...options, handshake: null }), plain);
  const withHandshake = messageAd({ ...options, handshake: HANDSHAKE });
  assert.equal(withHandshake.length, plain.length + 1120);
  assert.deepEqual(withHandshake.subarray(plain.length + 32), HANDSHAKE.ct);
  assert.throws(() => messageAd({ ...options, from: "someone" }), {
    name: "TypeError",
    message: "Invalid sender ID: expected a ULID",
  });
  assert.throws(() => messageAd({ ...options, toSign: new Uint8Array(31) }), {
    name: "TypeError",
    message: 'Invalid message context: "toSign" must be 32 bytes',
  });
});

Deno.test("sealMessage() pads to at least 256 bytes and openMessage() returns the payload", async () => {
  const pair = await makeSessionPair();
  const ad = messageAd({
    conversationId: CONVERSATION_ID,
    from: JOINER_ID,
    to: CREATOR_ID,
    fromSign: pair.joiner.signPublic,
    toSign: pair.creator.signPublic,
    handshake: pair.handshake,
  });
  for (const length of [0, 1, 100, 255, 300, 5000]) {
    const payload = new Uint8Array(length).fill(0x41);
    const sealed = await sealMessage(pair.alice, payload, ad);
    pair.alice = sealed.state;
    assert.ok(sealed.ciphertext.length >= 256 + 16);
    const wire = encodeEnvelope({ ...sealed, handshake: pair.handshake });
    const envelope = parseEnvelope(wire);
    const opened = await openMessage(pair.bob, envelope.header, envelope.ciphertext, ad);
    assert.deepEqual(opened.plaintext, payload);
    pair.bob = opened.state;
  }
});

Deno.test("a relay that swaps the handshake, IDs or identity keys in the AD is detected", async () => {
  const pair = await makeSessionPair();
  const base: MessageAdOptions = {
    conversationId: CONVERSATION_ID,
    from: JOINER_ID,
    to: CREATOR_ID,
    fromSign: pair.joiner.signPublic,
    toSign: pair.creator.signPublic,
    handshake: pair.handshake,
  };
  const sealed = await sealMessage(pair.alice, utf8("bound"), messageAd(base));
  const ct = pair.handshake.ct.slice();
  ct[0] ^= 1;
  const changes: Partial<MessageAdOptions>[] = [
    { conversationId: "01JGZ0000000000000000000C9" },
    { from: CREATOR_ID, to: JOINER_ID },
    { fromSign: pair.creator.signPublic },
    { handshake: null },
    { handshake: { ek: pair.handshake.ek, ct } },
  ];
  for (const change of changes) {
    const before = cloneState(pair.bob);
    await assert.rejects(
      openMessage(pair.bob, sealed.header, sealed.ciphertext, messageAd({ ...base, ...change })),
      RatchetError,
    );
    assert.deepEqual(pair.bob, before);
  }
});
