import assert from "node:assert/strict";
import { makeSessionPair, PAIR_IDS } from "../../tests/fixtures/session_pair.ts";
import { concatBytes, utf8 } from "./encoding.ts";
import {
  DecryptionError,
  decryptMessage,
  encryptMessage,
  ENVELOPE_VERSION,
  MAX_COUNTER,
  parseEnvelope,
} from "./envelope.ts";

const { conversationId, alice: ALICE, bob: BOB } = PAIR_IDS;

async function aliceToBob(counter = 7, text = "Hello Bob") {
  const pair = await makeSessionPair();
  const envelope = await encryptMessage(pair.alice.sendKey, {
    conversationId,
    from: ALICE,
    to: BOB,
    counter,
    plaintext: utf8(text),
  });
  return { ...pair, envelope };
}

Deno.test("encryptMessage() output decrypts for the recipient in both directions", async () => {
  const { alice, bob, envelope } = await aliceToBob(7);
  const received = await decryptMessage(bob.receiveKey, {
    conversationId,
    from: ALICE,
    to: BOB,
    envelope,
  });
  assert.equal(received.counter, 7);
  assert.deepEqual(received.plaintext, utf8("Hello Bob"));

  const reply = await encryptMessage(bob.sendKey, {
    conversationId,
    from: BOB,
    to: ALICE,
    counter: 0,
    plaintext: utf8("Hi Alice"),
  });
  const answer = await decryptMessage(alice.receiveKey, {
    conversationId,
    from: BOB,
    to: ALICE,
    envelope: reply,
  });
  assert.equal(answer.counter, 0);
  assert.deepEqual(answer.plaintext, utf8("Hi Alice"));
});

Deno.test("encryptMessage() lays out version, big-endian counter and padded ciphertext", async () => {
  const counter = 0x0102030405;
  const { envelope } = await aliceToBob(counter, "x".repeat(300));
  assert.equal(envelope[0], ENVELOPE_VERSION);
  assert.deepEqual(
    envelope.subarray(1, 9),
    Uint8Array.of(0, 0, 0, 1, 2, 3, 4, 5),
  );
  // 300 bytes + marker pad to 304, plus the 16-byte tag.
  assert.equal(envelope.length, 1 + 8 + 304 + 16);
  const parsed = parseEnvelope(envelope);
  assert.equal(parsed.version, 1);
  assert.equal(parsed.counter, counter);
  assert.equal(parsed.ciphertext.length, 320);
});

Deno.test("encryptMessage() hides the length of short messages", async () => {
  const short = await aliceToBob(0, "");
  const longer = await aliceToBob(0, "a".repeat(200));
  assert.equal(short.envelope.length, 1 + 8 + 256 + 16);
  assert.equal(longer.envelope.length, short.envelope.length);
});

Deno.test("decryptMessage() fails with DecryptionError for a flipped bit in any byte", async () => {
  const { bob, envelope } = await aliceToBob();
  for (let index = 0; index < envelope.length; index++) {
    for (const bit of [0, 7]) {
      const tampered = envelope.slice();
      tampered[index] ^= 1 << bit;
      await assert.rejects(
        decryptMessage(bob.receiveKey, {
          conversationId,
          from: ALICE,
          to: BOB,
          envelope: tampered,
        }),
        DecryptionError,
        `byte ${index} bit ${bit}`,
      );
    }
  }
});

Deno.test("decryptMessage() names a downgraded or unknown version", async () => {
  const { bob, envelope } = await aliceToBob();
  const other = envelope.slice();
  other[0] = 2;
  await assert.rejects(
    decryptMessage(bob.receiveKey, {
      conversationId,
      from: ALICE,
      to: BOB,
      envelope: other,
    }),
    {
      name: "DecryptionError",
      message: `Cannot decrypt message from "${ALICE}": Unsupported envelope version 2`,
    },
  );
});

Deno.test("decryptMessage() fails for a wrong conversation, sender or recipient", async () => {
  const { bob, envelope } = await aliceToBob();
  const contexts = [
    { conversationId: "01JGZ0000000000000000000C1", from: ALICE, to: BOB },
    { conversationId, from: "01JGZ0000000000000000000A2", to: BOB },
    { conversationId, from: ALICE, to: "01JGZ0000000000000000000B1" },
    { conversationId, from: BOB, to: ALICE },
  ];
  for (const context of contexts) {
    await assert.rejects(
      decryptMessage(bob.receiveKey, { ...context, envelope }),
      DecryptionError,
    );
  }
});

Deno.test("decryptMessage() rejects a message reflected back to its sender", async () => {
  const { alice, envelope } = await aliceToBob();
  for (const [from, to] of [[ALICE, BOB], [BOB, ALICE]]) {
    await assert.rejects(
      decryptMessage(alice.receiveKey, { conversationId, from, to, envelope }),
      DecryptionError,
    );
  }
});

Deno.test("decryptMessage() rejects a truncated or extended envelope", async () => {
  const { bob, envelope } = await aliceToBob();
  for (
    const tampered of [
      envelope.subarray(0, envelope.length - 1),
      Uint8Array.of(...envelope, 0),
      envelope.subarray(0, 25),
    ]
  ) {
    await assert.rejects(
      decryptMessage(bob.receiveKey, {
        conversationId,
        from: ALICE,
        to: BOB,
        envelope: tampered,
      }),
      DecryptionError,
    );
  }
});

Deno.test("decryptMessage() reports bad padding as DecryptionError", async () => {
  const { alice, bob } = await makeSessionPair();
  // Encrypt unpadded zeros directly, as a buggy or malicious sender could.
  const counter = new Uint8Array(8);
  const ciphertext = await crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: new Uint8Array(12),
      additionalData: concatBytes(
        utf8(`anon/v1/msg${conversationId}${ALICE}${BOB}`),
        counter,
      ),
    },
    alice.sendKey,
    new Uint8Array(256),
  );
  const envelope = Uint8Array.of(1, ...counter, ...new Uint8Array(ciphertext));
  await assert.rejects(
    decryptMessage(bob.receiveKey, {
      conversationId,
      from: ALICE,
      to: BOB,
      envelope,
    }),
    {
      name: "DecryptionError",
      message: `Cannot decrypt message 0 from "${ALICE}": Cannot remove padding: no 0x80 marker`,
    },
  );
});

Deno.test("encryptMessage() rejects counters that are not safe integers", async () => {
  const { alice } = await makeSessionPair();
  for (const counter of [-1, 1.5, NaN, MAX_COUNTER + 1]) {
    await assert.rejects(
      encryptMessage(alice.sendKey, {
        conversationId,
        from: ALICE,
        to: BOB,
        counter,
        plaintext: new Uint8Array(),
      }),
      RangeError,
    );
  }
  const last = await encryptMessage(alice.sendKey, {
    conversationId,
    from: ALICE,
    to: BOB,
    counter: MAX_COUNTER,
    plaintext: new Uint8Array(),
  });
  assert.equal(parseEnvelope(last).counter, MAX_COUNTER);
});

Deno.test("parseEnvelope() rejects short input, other versions and huge counters", () => {
  const valid = new Uint8Array(25);
  valid[0] = 1;
  assert.equal(parseEnvelope(valid).counter, 0);
  assert.throws(() => parseEnvelope(new Uint8Array()), {
    name: "TypeError",
    message: "Cannot parse envelope: expected at least 25 bytes, got 0",
  });
  assert.throws(() => parseEnvelope(valid.subarray(0, 24)), TypeError);
  const version2 = valid.slice();
  version2[0] = 2;
  assert.throws(() => parseEnvelope(version2), {
    name: "TypeError",
    message: "Unsupported envelope version 2",
  });
  const huge = valid.slice();
  huge.set([0, 0x20, 0, 0, 0, 0, 0, 0], 1);
  assert.throws(() => parseEnvelope(huge), {
    name: "TypeError",
    message: `Cannot parse envelope: counter 9007199254740992 is above ${MAX_COUNTER}`,
  });
  const max = valid.slice();
  max.set([0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 1);
  assert.equal(parseEnvelope(max).counter, MAX_COUNTER);
});

Deno.test("parseEnvelope() reads a view into a larger buffer correctly", async () => {
  const { envelope } = await aliceToBob(3);
  const outer = new Uint8Array(envelope.length + 10);
  outer.set(envelope, 5);
  const parsed = parseEnvelope(outer.subarray(5, 5 + envelope.length));
  assert.equal(parsed.counter, 3);
  assert.deepEqual(parsed.ciphertext, envelope.subarray(9));
});
