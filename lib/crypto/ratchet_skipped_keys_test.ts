import assert from "node:assert/strict";
import {
  AD,
  assertRefused,
  Conversation,
  loseMessages,
  type Sent,
} from "../../tests/fixtures/ratchet_conversation.ts";
import { cloneState, ratchetDecrypt, type RatchetHeader } from "./ratchet.ts";
import {
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  type ReceivingChain,
  skipMessageKeys,
} from "./ratchet_skipped_keys.ts";
import { encodeBase64Url } from "./encoding.ts";
import { encodeHex } from "../../tests/fixtures/hex.ts";
import { webCryptoHmac } from "../../tests/fixtures/webcrypto_hmac.ts";
import { generateX25519KeyPair } from "./x25519.ts";

Deno.test("a jump past MAX_SKIP is refused with the state unchanged", async () => {
  const talk = await Conversation.start();
  await talk.receive("bob", await talk.send("alice", "first"));
  // Forge a header further ahead than MAX_SKIP in the current chain.
  const later = await talk.send("alice", "later");
  const forged = { ...later, header: { ...later.header, n: MAX_SKIP + 2 } };
  const before = cloneState(talk.bob);
  await assert.rejects(ratchetDecrypt(talk.bob, forged.header, forged.ciphertext, AD), {
    name: "RatchetError",
    message: `Cannot decrypt message ${MAX_SKIP + 2}: it would skip more than ${MAX_SKIP} messages`,
  });
  assert.deepEqual(talk.bob, before);
  // A new chain claiming a huge previous-chain length is refused as well.
  const newChain = {
    ...later,
    header: { ...later.header, dh: new Uint8Array(32).fill(9), pn: MAX_SKIP + 5 },
  };
  await assertRefused(talk.bob, newChain);
  await talk.receive("bob", later);
});

Deno.test("a jump of exactly MAX_SKIP (25,000) is accepted and decrypts, one more is refused untouched, and the store stays capped", async () => {
  assert.equal(MAX_SKIP, 25_000);
  const talk = await Conversation.start();
  await talk.receive("bob", await talk.send("alice", "first"));
  const early = await talk.send("alice", "lost early");
  talk.alice = loseMessages(talk.alice, MAX_SKIP - 2);
  const late = await talk.send("alice", "lost late");
  // Bob expects message 1; this one is number 1 + MAX_SKIP.
  const arrives = await talk.send("alice", "after the gap");
  const tooFar = await talk.send("alice", "one past the limit");
  assert.equal(arrives.header.n, 1 + MAX_SKIP);
  const before = cloneState(talk.bob);
  await assert.rejects(ratchetDecrypt(talk.bob, tooFar.header, tooFar.ciphertext, AD), {
    name: "RatchetError",
    message: `Cannot decrypt message ${MAX_SKIP + 2}: it would skip more than ${MAX_SKIP} messages`,
  });
  assert.deepEqual(talk.bob, before, "a refused jump changes nothing");
  await talk.receive("bob", arrives);
  // 25,000 keys were derived; only the newest MAX_SKIPPED_KEYS are kept.
  assert.equal(talk.bob.skipped.length, MAX_SKIPPED_KEYS);
  assert.equal(talk.bob.skipped[0].n, 1 + MAX_SKIP - MAX_SKIPPED_KEYS);
  await assertRefused(talk.bob, early);
  await talk.receive("bob", late);
  await talk.receive("bob", tooFar);
  assert.equal(talk.bob.skipped.length, MAX_SKIPPED_KEYS - 1);
});

Deno.test("the skipped-key store is bounded to MAX_SKIPPED_KEYS, evicting the oldest", async () => {
  const talk = await Conversation.start();
  const gaps: Sent[] = [];
  // Three chains of Alice's, each with 1000 messages lost before one arrives.
  for (let chain = 0; chain < 3; chain++) {
    gaps.push(await talk.send("alice", `lost ${chain}`));
    talk.alice = loseMessages(talk.alice, 999);
    await talk.receive("bob", await talk.send("alice", `arrives ${chain}`));
    assert.ok(talk.bob.skipped.length <= MAX_SKIPPED_KEYS);
    await talk.receive("alice", await talk.send("bob", `reply ${chain}`));
  }
  assert.equal(talk.bob.skipped.length, MAX_SKIPPED_KEYS);
  // The oldest chain's keys were evicted; the newer ones remain.
  await assertRefused(talk.bob, gaps[0]);
  await talk.receive("bob", gaps[2]);
  assert.equal(talk.bob.skipped.length, MAX_SKIPPED_KEYS - 1);
});

Deno.test("ratchetDecrypt() refuses more than MAX_SKIP skips in total across two chains, untouched", async () => {
  const talk = await Conversation.start();
  await talk.receive("bob", await talk.send("alice", "hello"));
  // A forged header: a new ratchet key, and just over half the limit on each chain.
  const forged: RatchetHeader = {
    dh: (await generateX25519KeyPair()).publicKey,
    pn: MAX_SKIP / 2 + 1,
    n: MAX_SKIP / 2 + 1,
    salt: new Uint8Array(16),
  };
  await assertRefused(talk.bob, { header: forged, ciphertext: new Uint8Array(32) });
  // Refused for the count, before deriving a key, not later by the AEAD.
  await assert.rejects(
    ratchetDecrypt(talk.bob, forged, new Uint8Array(32), AD),
    {
      message: `Cannot decrypt message ${
        MAX_SKIP / 2 + 1
      }: it would skip more than ${MAX_SKIP} messages`,
    },
  );
});

Deno.test("skipping keeps exactly what deriving every key and evicting the oldest keeps, though it makes no key it would drop", async () => {
  const dhr = new Uint8Array(32).fill(7);
  const start = crypto.getRandomValues(new Uint8Array(32));
  // Every key of the chain from message 0, by WebCrypto.
  const keys: string[] = [];
  const chainKeyAt: Uint8Array[] = [start];
  for (let n = 0; n < 4600; n++) {
    keys.push(encodeHex(await webCryptoHmac(chainKeyAt[n], Uint8Array.of(0x01))));
    chainKeyAt.push(await webCryptoHmac(chainKeyAt[n], Uint8Array.of(0x02)));
  }
  const held = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      dh: "older-chain",
      n: i,
      mk: new Uint8Array(32).fill(i % 256),
    }));
  for (
    const [kept, from, until] of [
      [0, 0, 1],
      [0, 0, 2000],
      [0, 0, 2001],
      [1500, 3, 1503],
      [1500, 3, 2600],
      [10, 0, 4600],
      [2000, 100, 100],
    ]
  ) {
    const chain: ReceivingChain = {
      dhr,
      ckr: chainKeyAt[from].slice(),
      nr: from,
      skipped: held(kept),
    };
    skipMessageKeys(chain, until);
    // What the plain algorithm keeps: the held keys, then one per message passed over, newest 2000.
    const expected = [
      ...held(kept).map((key) => `${key.dh}:${key.n}:${encodeHex(key.mk)}`),
      ...keys.slice(from, until).map((mk, i) => `${encodeBase64Url(dhr)}:${from + i}:${mk}`),
    ].slice(-MAX_SKIPPED_KEYS);
    const label = `${kept} held, from ${from} to ${until}`;
    assert.deepEqual(
      chain.skipped.map((key) => `${key.dh}:${key.n}:${encodeHex(key.mk)}`),
      expected,
      label,
    );
    assert.equal(chain.nr, until, label);
    assert.equal(encodeHex(chain.ckr!), encodeHex(chainKeyAt[until]), label);
  }
});
