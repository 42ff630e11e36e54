import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { connected, converse, FAST, pass, type Side } from "../../tests/fixtures/reset_sides.ts";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { generatePrekeys } from "../crypto/prekeys.ts";
import { encodeResetOffer, type ResetParties, signResetOffer } from "../crypto/reset_offer.ts";
import type { Payload } from "../crypto/payload.ts";
import { openState } from "../crypto/sealed_state.ts";
import { canSeal, isResetting } from "./channel_state.ts";
import { sealPayload } from "./secure_channel.ts";

function shown(side: Side): string[] {
  return side.parts.state.messages.filter((m) => m.kind !== "hello").map((m) =>
    m.kind === "reset" ? "(reset)" : m.text
  );
}

function problems(side: Side): string[] {
  return side.parts.state.problems.map((p) => p.message);
}

async function dispose(...sides: Side[]): Promise<void> {
  for (const side of sides) await side.parts[Symbol.asyncDispose]();
}

Deno.test("a session reset: the offer is answered, both sides seal under the new session, and what was not acknowledged is sealed again", async () => {
  const { joiner, creator } = await connected();
  try {
    await joiner.parts.outbox.write({ kind: "text", text: "before" }, joiner.parts.state.ulid());
    await creator.parts.outbox.write({ kind: "text", text: "lost" }, creator.parts.state.ulid());
    await converse(joiner, creator);
    // The creator's next message is lost on the way: it stays unacknowledged.
    await creator.parts.outbox.write({ kind: "text", text: "dropped" }, creator.parts.state.ulid());
    await creator.parts.settle();
    await pass(creator, joiner, () => true);
    const keys = (
      side: Side,
    ) => [side.parts.state.conversation.bundle, side.parts.state.conversation.peer];
    const before = [keys(joiner), keys(creator)];

    const now = Math.floor(Date.now() / 1000);
    await joiner.parts.reset.start();
    const offering = joiner.parts.state.conversation;
    assert.equal(offering.ratchet, null, "the old session is dropped at once");
    const generation = offering.reset!.generation;
    assert.ok(generation >= now, "the generation is the clock's seconds");
    assert.equal(canSeal(offering), false);
    assert.equal(isResetting(offering), true);
    await converse(joiner, creator);

    for (const side of [joiner, creator]) {
      const conversation = side.parts.state.conversation;
      assert.equal(conversation.generation, generation);
      assert.equal(conversation.reset ?? null, null, "the offer's private halves are gone");
      assert.equal(conversation.handshake, null, "the handshake no longer rides along");
      assert.equal(canSeal(conversation), true);
      assert.deepEqual(problems(side), []);
    }
    assert.deepEqual([keys(joiner), keys(creator)], before, "the same identities");
    // The dropped message came again under the new session, shown once.
    assert.deepEqual(shown(joiner), ["before", "lost", "dropped", "(reset)"]);
    assert.deepEqual(shown(creator), ["before", "lost", "dropped", "(reset)"]);
    const notice = joiner.parts.state.messages.find((m) => m.kind === "reset")!;
    assert.equal(notice.direction, "out");
    assert.equal(notice.status, "delivered");
    assert.ok(
      creator.parts.state.messages.every((m) => m.direction === "in" || m.status === "delivered"),
    );

    // Both ways, new messages flow.
    await creator.parts.outbox.write({ kind: "text", text: "after" }, creator.parts.state.ulid());
    await joiner.parts.outbox.write({ kind: "text", text: "and back" }, joiner.parts.state.ulid());
    await converse(joiner, creator);
    assert.deepEqual(shown(joiner).slice(-2), ["after", "and back"]);
    assert.deepEqual(shown(creator).slice(-2), ["after", "and back"]);
  } finally {
    await dispose(joiner, creator);
  }
});

Deno.test("after a session reset a known message sealed again is acknowledged, shown once; another payload under its ID is refused", async () => {
  const { pair, joiner, creator } = await connected();
  try {
    const id = joiner.parts.state.ulid();
    await joiner.parts.outbox.write({ kind: "text", text: "once" }, id);
    await joiner.parts.settle();
    // It arrives, but the receipt is lost: the joiner seals it again after the reset.
    await pass(joiner, creator);
    await creator.parts.settle();
    await new Promise((resolve) => setTimeout(resolve, 40));
    await pass(creator, joiner, () => true);
    await creator.parts.reset.start();
    await converse(joiner, creator);
    assert.deepEqual(shown(creator), ["once", "(reset)"]);
    assert.equal(joiner.parts.state.find(id)?.status, "delivered");
    assert.deepEqual(problems(creator), []);

    // The joiner seals another text under the same ID.
    const conversation = joiner.parts.state.conversation;
    const other: Payload = { v: 2, type: "text", id, text: "changed", sentAt: 1, expiresIn: 0 };
    const sealed = await sealPayload(conversation, other);
    const ratchet = creator.parts.state.conversation.ratchet;
    await creator.parts.state.serial(() =>
      creator.parts.inbox.receive({
        type: "message",
        id,
        from: pair.joiner.participant.id,
        body: sealed.body,
      })
    );
    assert.deepEqual(problems(creator), [
      "A message arrived under another message's ID; rejected",
    ]);
    assert.deepEqual(creator.parts.state.conversation.ratchet, ratchet, "nothing committed");
    assert.equal(creator.parts.state.find(id)?.text, "once");
  } finally {
    await dispose(joiner, creator);
  }
});

Deno.test("two session resets started at once: the higher generation wins, then the participant whose ID sorts first", async () => {
  const { joiner, creator } = await connected();
  try {
    await joiner.parts.reset.start();
    await creator.parts.reset.start();
    const offered = (side: Side) => ({
      side,
      generation: side.parts.state.conversation.reset!.generation,
      id: side.parts.state.conversation.participantId,
    });
    const [first] = [offered(joiner), offered(creator)].sort((a, b) =>
      b.generation - a.generation || (a.id < b.id ? -1 : 1)
    );
    await converse(joiner, creator);
    for (const side of [joiner, creator]) {
      assert.equal(side.parts.state.conversation.generation, first.generation);
      assert.equal(canSeal(side.parts.state.conversation), true);
      assert.deepEqual(problems(side), []);
      // One notice each: the winner's offer.
      const notices = side.parts.state.messages.filter((m) => m.kind === "reset");
      assert.equal(notices.length, 1);
      assert.equal(notices[0].direction, side === first.side ? "out" : "in");
    }
    await joiner.parts.outbox.write({ kind: "text", text: "works" }, joiner.parts.state.ulid());
    await converse(joiner, creator);
    assert.deepEqual(shown(creator).at(-1), "works");
  } finally {
    await dispose(joiner, creator);
  }
});

Deno.test("a session reset offer that is forged, stale or for others is refused and changes nothing", async () => {
  const { pair, joiner, creator } = await connected();
  try {
    // Two resets: the first offer is older than the session now.
    const offers = [];
    let generation = 0;
    for (let i = 0; i < 2; i++) {
      await joiner.parts.reset.start();
      await joiner.parts.settle();
      offers.push(joiner.socket.sends().at(-1)!.body);
      generation = joiner.parts.state.conversation.reset!.generation;
      await converse(joiner, creator);
      assert.equal(creator.parts.state.conversation.generation, generation);
    }
    const [older, genuine] = offers;
    const stored = await pair.creator.storage.getConversation(pair.creator.conversation.id);
    const prekeys = await generatePrekeys();
    const stranger = await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
    const parties = {
      conversationId: pair.record.id,
      from: pair.joiner.participant.id,
      to: pair.creator.participant.id,
    };
    const fields = { generation: 5, spk: prekeys.spk.publicKey, pqspk: prekeys.pq.publicKey };
    const signing = pair.joiner.conversation.signing.privateKey;
    // Each forgery is signed for the ID it comes under: it fails for its own flaw.
    const noticeId = creator.parts.state.ulid();
    const body = async (key: CryptoKey, who: Omit<ResetParties, "noticeId">): Promise<string> =>
      encodeBase64Url(encodeResetOffer(await signResetOffer(key, { ...who, noticeId }, fields)));
    const bodies: [string, string, boolean][] = [
      ["a stranger's signature", await body((stranger as CryptoKeyPair).privateKey, parties), true],
      [
        "another conversation",
        await body(signing, { ...parties, conversationId: "01JD3Q8Z5V4T6N2M8K0P9R7S1A" }),
        true,
      ],
      [
        "another recipient",
        await body(signing, { ...parties, to: "01JD3Q8Z5W0000000000000003" }),
        true,
      ],
      ["a flipped generation", flip(genuine, 5), true],
      ["a cut offer", genuine.slice(0, 300), true],
      ["the genuine offer again, under a new ID", genuine, true],
      ["an older genuine offer, under a new ID", older, true],
    ];
    for (const [what, forged, warned] of bodies) {
      creator.parts.state.acknowledgeProblems();
      await creator.parts.state.serial(() =>
        creator.parts.inbox.receive({
          type: "message",
          id: noticeId,
          from: pair.joiner.participant.id,
          body: forged,
        })
      );
      assert.equal(problems(creator).length > 0, warned, `${what}: ${problems(creator)}`);
      const now = await pair.creator.storage.getConversation(pair.creator.conversation.id);
      assert.deepEqual(now?.ratchet, stored?.ratchet, what);
      assert.equal(now?.generation, generation, what);
    }
    assert.equal(creator.parts.state.messages.filter((m) => m.kind === "reset").length, 2);
    // The session still works.
    creator.parts.state.acknowledgeProblems();
    await joiner.parts.outbox.write(
      { kind: "text", text: "still fine" },
      joiner.parts.state.ulid(),
    );
    await converse(joiner, creator);
    assert.equal(shown(creator).at(-1), "still fine");
    const state = await openState(
      creator.parts.state.conversation.wrappingKey,
      creator.parts.state.conversation.ratchet!,
      creator.parts.state.conversation.id,
    );
    assert.ok(state.cks !== null);
  } finally {
    await dispose(joiner, creator);
  }
});

function flip(body: string, index: number): string {
  const bytes = decodeBase64Url(body);
  bytes[index] ^= 0x01;
  return encodeBase64Url(bytes);
}

Deno.test("a session reset answer lost in a crash is given again when the offer comes again", async () => {
  const { pair, joiner, creator } = await connected();
  let revived: Side | undefined;
  try {
    await joiner.parts.reset.start();
    await joiner.parts.settle();
    const offer = joiner.socket.sends().at(-1)!;
    await pass(joiner, creator);
    await creator.parts.settle();
    assert.equal(
      creator.parts.state.conversation.generation,
      joiner.parts.state.conversation.reset!.generation,
    );
    // The page dies after the new session was saved, before its notice and
    // hello were (and before its receipt left).
    const answer = creator.parts.state.messages.filter((m) =>
      m.kind === "reset" || (m.kind === "hello" && m.direction === "out")
    );
    await creator.parts.state.remove(answer);
    await creator.parts[Symbol.asyncDispose]();
    const stored = await pair.creator.storage.getConversation(pair.creator.conversation.id);
    const parts = new ClientParts(
      { ...pair.creator, conversation: stored! },
      { sendRate: FAST, messages: await pair.creator.storage.listMessages(stored!.id) },
    );
    revived = { parts, socket: await parts.online(), passed: 0 };
    // The offer comes again, under its own ID: this time the answer goes out.
    await revived.parts.state.serial(() =>
      revived!.parts.inbox.receive({
        type: "message",
        id: offer.id,
        from: pair.joiner.participant.id,
        body: offer.body,
      })
    );
    await converse(joiner, revived);
    for (const side of [joiner, revived]) {
      assert.equal(canSeal(side.parts.state.conversation), true);
      assert.equal(side.parts.state.conversation.handshake, null);
      assert.deepEqual(problems(side), []);
    }
    assert.equal(joiner.parts.state.find(offer.id)?.status, "delivered");
    // A replay of the same offer now changes nothing.
    const ratchet = revived.parts.state.conversation.ratchet;
    await revived.parts.state.serial(() =>
      revived!.parts.inbox.receive({
        type: "message",
        id: "01JD3Q8Z5V4T6N2M8K0P9R7S30",
        from: pair.joiner.participant.id,
        body: offer.body,
      })
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    await revived.parts.settle();
    assert.deepEqual(revived.parts.state.conversation.ratchet, ratchet);
  } finally {
    await dispose(joiner, ...(revived === undefined ? [creator] : [revived]));
  }
});

Deno.test("a session reset from a side whose stored state came back from a backup is still accepted", async () => {
  const { joiner, creator } = await connected();
  try {
    // The creator already reset once (a minute ago by its clock); the
    // joiner's restored record never heard of it and says generation 0.
    const earlier = Math.floor(Date.now() / 1000) - 60;
    await creator.parts.state.serial(() =>
      creator.parts.state.save({ ...creator.parts.state.conversation, generation: earlier })
    );
    assert.equal(joiner.parts.state.conversation.generation ?? 0, 0);
    await joiner.parts.reset.start();
    await converse(joiner, creator);
    assert.ok(creator.parts.state.conversation.generation! > earlier);
    assert.equal(canSeal(joiner.parts.state.conversation), true);
    await creator.parts.outbox.write(
      { kind: "text", text: "accepted" },
      creator.parts.state.ulid(),
    );
    await converse(joiner, creator);
    assert.equal(shown(joiner).at(-1), "accepted");
  } finally {
    await dispose(joiner, creator);
  }
});
