import assert from "node:assert/strict";
import {
  AD,
  assertRefused,
  Conversation,
  type Sent,
} from "../../tests/fixtures/ratchet_conversation.ts";
import { utf8 } from "./encoding.ts";
import { cloneState, ratchetDecrypt, ratchetEncrypt, RatchetError } from "./ratchet.ts";

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
