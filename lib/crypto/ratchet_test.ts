import assert from "node:assert/strict";
import { utf8 } from "./encoding.ts";
import {
  cloneState,
  initRatchetInitiator,
  initRatchetResponder,
  kdfChainKey,
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  ratchetDecrypt,
  ratchetEncrypt,
  RatchetError,
  type RatchetHeader,
  type RatchetState,
} from "./ratchet.ts";
import { generateX25519KeyPair } from "./x25519.ts";

const AD = utf8("associated data");

interface Sent {
  header: RatchetHeader;
  ciphertext: Uint8Array;
  text: string;
}

/** A two-party session driven step by step, committing states as a client would. */
class Conversation {
  constructor(public alice: RatchetState, public bob: RatchetState) {}

  static async start(): Promise<Conversation> {
    const sk = crypto.getRandomValues(new Uint8Array(32));
    const spk = await generateX25519KeyPair();
    return new Conversation(
      await initRatchetInitiator(sk, spk.publicKey),
      initRatchetResponder(sk, spk),
    );
  }

  async send(from: "alice" | "bob", text: string): Promise<Sent> {
    const result = await ratchetEncrypt(this[from], utf8(text), AD);
    this[from] = result.state;
    return { header: result.header, ciphertext: result.ciphertext, text };
  }

  async receive(to: "alice" | "bob", message: Sent): Promise<void> {
    const result = await ratchetDecrypt(this[to], message.header, message.ciphertext, AD);
    assert.equal(new TextDecoder().decode(result.plaintext), message.text);
    this[to] = result.state;
  }
}

/**
 * The state after `count` more messages were sealed and lost: the sending
 * chain steps on exactly as `ratchetEncrypt()` would move it, without
 * paying for the encryption of messages nobody will receive.
 */
async function loseMessages(state: RatchetState, count: number): Promise<RatchetState> {
  const next = cloneState(state);
  for (let i = 0; i < count; i++) {
    next.cks = (await kdfChainKey(next.cks!)).ck;
    next.ns += 1;
  }
  return next;
}

async function assertRefused(
  state: RatchetState,
  message: { header: RatchetHeader; ciphertext: Uint8Array },
  ad: Uint8Array = AD,
): Promise<void> {
  const before = cloneState(state);
  await assert.rejects(
    ratchetDecrypt(state, message.header, message.ciphertext, ad),
    RatchetError,
  );
  assert.deepEqual(state, before);
}

Deno.test("messages flow both ways across several ratchet steps", async () => {
  const talk = await Conversation.start();
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 3; i++) {
      await talk.receive("bob", await talk.send("alice", `a${round}.${i}`));
    }
    for (let i = 0; i < 2; i++) {
      await talk.receive("alice", await talk.send("bob", `b${round}.${i}`));
    }
  }
  assert.equal(talk.alice.skipped.length, 0);
  assert.equal(talk.bob.skipped.length, 0);
});

Deno.test("the responder cannot send before the initiator's first message arrives", async () => {
  const talk = await Conversation.start();
  await assert.rejects(ratchetEncrypt(talk.bob, utf8("too early"), AD), {
    name: "RatchetError",
    message: "Cannot encrypt yet: the peer's first message has not arrived",
  });
  await talk.receive("bob", await talk.send("alice", "hello"));
  await talk.receive("alice", await talk.send("bob", "now I can"));
});

Deno.test("ratchetEncrypt() and ratchetDecrypt() never change the state they are given", async () => {
  const talk = await Conversation.start();
  const alice = cloneState(talk.alice);
  const bob = cloneState(talk.bob);
  const sent = await ratchetEncrypt(talk.alice, utf8("x"), AD);
  assert.deepEqual(talk.alice, alice);
  await ratchetDecrypt(talk.bob, sent.header, sent.ciphertext, AD);
  assert.deepEqual(talk.bob, bob);
  // The state is plain data: it survives structured cloning unchanged.
  assert.deepEqual(structuredClone(sent.state), sent.state);
});

Deno.test("out-of-order messages decrypt, within a chain and across ratchet steps", async () => {
  const talk = await Conversation.start();
  const a = [];
  for (let i = 0; i < 5; i++) a.push(await talk.send("alice", `a${i}`));
  await talk.receive("bob", a[0]);
  await talk.receive("bob", a[3]);
  assert.equal(talk.bob.skipped.length, 2);
  const b0 = await talk.send("bob", "b0");
  await talk.receive("alice", b0);
  const c = [await talk.send("alice", "c0"), await talk.send("alice", "c1")];
  // The new chain arrives before the end of the old one.
  await talk.receive("bob", c[1]);
  assert.equal(talk.bob.skipped.length, 4, "a1, a2, a4 and c0 are pending");
  await talk.receive("bob", a[4]);
  await talk.receive("bob", a[1]);
  await talk.receive("bob", c[0]);
  await talk.receive("bob", a[2]);
  assert.equal(talk.bob.skipped.length, 0, "keys are deleted once used");
});

Deno.test("lost messages do not stop the conversation", async () => {
  const talk = await Conversation.start();
  await talk.send("alice", "lost 1");
  await talk.send("alice", "lost 2");
  await talk.receive("bob", await talk.send("alice", "arrives"));
  const lostReply = await talk.send("bob", "lost reply");
  await talk.receive("alice", await talk.send("bob", "second reply"));
  await talk.receive("alice", lostReply);
  await talk.receive("bob", await talk.send("alice", "still talking"));
});

Deno.test("a duplicated or replayed message is refused and changes nothing", async () => {
  const talk = await Conversation.start();
  const first = await talk.send("alice", "once");
  const second = await talk.send("alice", "twice");
  await talk.receive("bob", second);
  await talk.receive("bob", first);
  await assertRefused(talk.bob, first);
  await assertRefused(talk.bob, second);
  await talk.receive("alice", await talk.send("bob", "reply"));
  await talk.receive("bob", await talk.send("alice", "next chain"));
  // Replays from an older chain are refused too.
  await assertRefused(talk.bob, first);
  await assert.rejects(
    ratchetDecrypt(talk.bob, second.header, second.ciphertext, AD),
    RatchetError,
  );
});

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
  talk.alice = await loseMessages(talk.alice, MAX_SKIP - 2);
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
    talk.alice = await loseMessages(talk.alice, 999);
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

Deno.test("a bit flip in the header (salt included), the ciphertext or the associated data changes nothing", async () => {
  const talk = await Conversation.start();
  await talk.receive("bob", await talk.send("alice", "hello"));
  await talk.receive("alice", await talk.send("bob", "hi"));
  const message = await talk.send("alice", "flip me");
  const dh = message.header.dh.slice();
  dh[3] ^= 0x10;
  const ciphertext = message.ciphertext.slice();
  ciphertext[ciphertext.length - 1] ^= 1;
  const body = message.ciphertext.slice();
  body[0] ^= 0x80;
  const ad = AD.slice();
  ad[0] ^= 1;
  const salt = message.header.salt.slice();
  salt[15] ^= 0x01;
  await assertRefused(talk.bob, { ...message, header: { ...message.header, dh } });
  await assertRefused(talk.bob, { ...message, header: { ...message.header, salt } });
  await assertRefused(talk.bob, { ...message, header: { ...message.header, n: 1 } });
  await assertRefused(talk.bob, { ...message, header: { ...message.header, pn: 7 } });
  await assertRefused(talk.bob, { ...message, ciphertext });
  await assertRefused(talk.bob, { ...message, ciphertext: body });
  await assertRefused(talk.bob, { ...message, ciphertext: message.ciphertext.subarray(0, 15) });
  await assertRefused(talk.bob, message, ad);
  await talk.receive("bob", message);
});

Deno.test("forward secrecy: a state captured after message N cannot decrypt earlier messages", async () => {
  const talk = await Conversation.start();
  const early: Sent[] = [];
  for (let i = 0; i < 3; i++) {
    const sent = await talk.send("alice", `early ${i}`);
    early.push(sent);
    await talk.receive("bob", sent);
  }
  const reply = await talk.send("bob", "reply");
  await talk.receive("alice", reply);
  const stolenBob = cloneState(talk.bob);
  const stolenAlice = cloneState(talk.alice);
  for (const message of early) await assertRefused(stolenBob, message);
  await assertRefused(stolenAlice, reply);
  // Nothing secret from the past remains in the stolen state either.
  assert.equal(stolenBob.skipped.length, 0);
});

Deno.test("post-compromise security: one round trip locks out a thief holding a stolen state", async () => {
  const talk = await Conversation.start();
  await talk.receive("bob", await talk.send("alice", "hello"));
  await talk.receive("alice", await talk.send("bob", "hi"));
  let thief = cloneState(talk.bob);
  const follow = async (message: Sent): Promise<boolean> => {
    try {
      thief = (await ratchetDecrypt(thief, message.header, message.ciphertext, AD)).state;
      return true;
    } catch (error) {
      assert.ok(error instanceof RatchetError);
      return false;
    }
  };
  // Alice's next message is still in reach: the thief holds Bob's keys.
  const m1 = await talk.send("alice", "Alice to Bob");
  assert.equal(await follow(m1), true);
  await talk.receive("bob", m1);
  // Bob answers with a fresh ratchet key the thief never sees privately.
  const m2 = await talk.send("bob", "Bob to Alice");
  await talk.receive("alice", m2);
  const m3 = await talk.send("alice", "Alice to Bob, after healing");
  assert.equal(await follow(m3), false);
  await talk.receive("bob", m3);
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
