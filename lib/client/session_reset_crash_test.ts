/**
 * A tab that closes part way through answering a session reset offer, or
 * starting one: once the page opens again (and the offer comes again), the
 * answer is completed and no superseded offer is left showing.
 */
import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { connected, converse, deliver, FAST, type Side } from "../../tests/fixtures/reset_sides.ts";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import type { StoredSide } from "../../tests/fixtures/stored_pair.ts";
import { canSeal, isResetting } from "./channel_state.ts";
import { loadStored } from "./client_open.ts";
import type { ClientStorage, StoredConversation, StoredMessage } from "./storage.ts";

/**
 * Every write after the one `when` names fails, as when the tab closes
 * there; says whether it closed, and undoes the failing.
 */
function closeAfter(
  storage: ClientStorage,
  when: {
    conversation?: (conversation: StoredConversation) => boolean;
    message?: (message: StoredMessage) => boolean;
  },
): { closed(): boolean; undo(): void } {
  const { putMessage, putConversation, deleteMessage } = storage;
  let closed = false;
  const refuse = () => Promise.reject(new Error("The tab closed"));
  storage.putConversation = async (conversation, options) => {
    if (closed) return await refuse();
    await putConversation.call(storage, conversation, options);
    if (when.conversation?.(conversation)) closed = true;
  };
  storage.putMessage = async (message) => {
    if (closed) return await refuse();
    await putMessage.call(storage, message);
    if (when.message?.(message)) closed = true;
  };
  storage.deleteMessage = (...args) => closed ? refuse() : deleteMessage.apply(storage, args);
  return {
    closed: () => closed,
    undo: () => Object.assign(storage, { putMessage, putConversation, deleteMessage }),
  };
}

/** The page opens again over what `side` stored, as a page does: a reset under way resumes, then it goes online. */
async function reopen(
  side: StoredSide,
  stored: Awaited<ReturnType<typeof loadStored>>,
): Promise<Side> {
  const parts = new ClientParts({ ...side, conversation: stored.conversation }, {
    sendRate: FAST,
    messages: stored.messages,
  });
  await parts.state.serial(() => parts.reset.resume());
  return { parts, socket: await parts.online(), passed: 0 };
}

/**
 * The creator's message is lost on the way (sealed under the old session,
 * unacknowledged); the joiner offers a reset, and the creator's tab closes
 * once it saved the session that answers it, before anything else.
 */
async function answerThenClose(
  pair: Awaited<ReturnType<typeof connected>>["pair"],
  joiner: Side,
  creator: Side,
) {
  const id = creator.parts.state.ulid();
  await creator.parts.outbox.write({ kind: "text", text: "dropped" }, id);
  await creator.parts.settle();
  creator.passed = creator.socket.sends().length;
  await joiner.parts.reset.start();
  await joiner.parts.settle();
  const offer = joiner.socket.sends().at(-1)!;
  joiner.passed = joiner.socket.sends().length;
  const { storage } = pair.creator;
  const tab = closeAfter(storage, {
    conversation: (conversation) => (conversation.generation ?? 0) > 0,
  });
  await deliver(joiner, creator, offer.id, offer.body).catch(() => {});
  assert.equal(tab.closed(), true);
  creator.parts.stop();
  tab.undo();
  return { id, offer, storage };
}

Deno.test("a tab closed after saving the new session, before marking its messages to seal again, still seals them again", async () => {
  const { pair, joiner, creator } = await connected();
  let reopened: Side | undefined;
  try {
    const { id, offer, storage } = await answerThenClose(pair, joiner, creator);

    // The page opens again; the offer, never acknowledged, comes again.
    const stored = await loadStored(pair.creator.conversation.id, storage);
    // As it opens, the answer's hello is said…
    reopened = await reopen(pair.creator, stored);
    const { parts } = reopened;
    await deliver(joiner, reopened, offer.id, offer.body);
    await converse(joiner, reopened);
    assert.deepEqual(joiner.parts.state.problems.map((p) => p.message), []);
    assert.ok(
      joiner.parts.state.messages.some((m) => m.text === "dropped"),
      "sealed again, it arrives",
    );
    assert.equal(parts.state.find(id)?.status, "delivered");
    // …and not a second time when the offer comes again.
    const hellos = parts.state.messages.filter((m) => m.direction === "out" && m.kind === "hello");
    assert.equal(hellos.length, 1);
  } finally {
    for (const side of [joiner, creator, reopened]) await side?.parts[Symbol.asyncDispose]();
  }
});

Deno.test("a tab closed after saving the new session, before marking its messages to seal again, seals them again even when the offer comes again only after the hello's receipt", async () => {
  const { pair, joiner, creator } = await connected();
  let reopened: Side | undefined;
  try {
    const { id, offer, storage } = await answerThenClose(pair, joiner, creator);

    reopened = await reopen(pair.creator, await loadStored(pair.creator.conversation.id, storage));
    const { parts } = reopened;
    // The relay holds the offer back (or the joiner is paused) while the
    // hello, the dropped message and their receipts go through…
    await converse(joiner, reopened);
    assert.equal(isResetting(joiner.parts.state.conversation), false);
    // …and then lets it come again.
    await deliver(joiner, reopened, offer.id, offer.body);
    await converse(joiner, reopened);
    for (const side of [joiner, reopened]) {
      assert.deepEqual(side.parts.state.problems.map((p) => p.message), []);
    }
    assert.ok(
      joiner.parts.state.messages.some((m) => m.text === "dropped"),
      "sealed again, it arrives",
    );
    assert.equal(parts.state.find(id)?.status, "delivered");
    // The offer is acknowledged, so the joiner stops sending it.
    assert.equal(joiner.parts.state.find(offer.id)?.status, "delivered");
  } finally {
    for (const side of [joiner, creator, reopened]) await side?.parts[Symbol.asyncDispose]();
  }
});

Deno.test("a tab closed after taking the peer's winning reset offer, before dropping its own, drops it when the offer comes again", async () => {
  const { pair, joiner, creator } = await connected();
  let reopened: Side | undefined;
  try {
    await joiner.parts.reset.start();
    await creator.parts.reset.start();
    await joiner.parts.settle();
    await creator.parts.settle();
    const rank = (side: Side) => {
      const { reset, participantId } = side.parts.state.conversation;
      return { side, generation: reset!.generation, id: participantId };
    };
    const [winner, loser] = [rank(joiner), rank(creator)]
      .sort((a, b) => b.generation - a.generation || (a.id < b.id ? -1 : 1))
      .map((ranked) => ranked.side);
    const offer = winner.socket.sends().findLast((frame) =>
      frame.id === winner.parts.state.conversation.reset!.id
    )!;
    const own = loser.parts.state.conversation.reset!.id;
    winner.passed = winner.socket.sends().length;
    loser.passed = loser.socket.sends().length;

    // The loser takes the winner's offer; its tab closes once the new session is saved.
    const kept = loser === joiner ? pair.joiner : pair.creator;
    const { storage } = kept;
    const generation = winner.parts.state.conversation.reset!.generation;
    const tab = closeAfter(storage, {
      conversation: (conversation) => conversation.generation === generation,
    });
    await deliver(winner, loser, offer.id, offer.body).catch(() => {});
    assert.equal(tab.closed(), true);
    loser.parts.stop();
    tab.undo();

    const id = loser.parts.state.conversation.id;
    const stored = await loadStored(id, storage);
    assert.ok(stored.messages.some((m) => m.id === own), "its own offer's notice is still stored");
    reopened = await reopen(kept, stored);
    await deliver(winner, reopened, offer.id, offer.body);
    await converse(winner, reopened);
    for (const side of [winner, reopened]) {
      assert.deepEqual(side.parts.state.problems.map((p) => p.message), []);
      // One notice each: the winner's offer.
      const notices = side.parts.state.messages.filter((m) => m.kind === "reset");
      assert.deepEqual(notices.map((m) => m.id), [offer.id]);
    }
    assert.equal((await loadStored(id, storage)).messages.some((m) => m.id === own), false);
  } finally {
    for (const side of [joiner, creator, reopened]) await side?.parts[Symbol.asyncDispose]();
  }
});

Deno.test("a tab closed after saving a second reset offer, before dropping the first one's notice, drops it when the page opens again", async () => {
  const { pair, joiner, creator } = await connected();
  let reopened: Side | undefined;
  try {
    await joiner.parts.reset.start();
    await joiner.parts.settle();
    const first = joiner.parts.state.conversation.reset!.id;
    joiner.passed = joiner.socket.sends().length; // The first offer is lost on the way.

    // A second reset; the tab closes once its offer is saved.
    const { storage } = pair.joiner;
    const tab = closeAfter(storage, {
      conversation: (conversation) => conversation.reset?.id !== first,
    });
    await joiner.parts.reset.start().catch(() => {});
    assert.equal(tab.closed(), true);
    joiner.parts.stop();
    tab.undo();

    const id = pair.joiner.conversation.id;
    const stored = await loadStored(id, storage);
    const second = stored.conversation.reset!.id;
    assert.notEqual(second, first);
    assert.ok(
      stored.messages.some((m) => m.id === first),
      "the first offer's notice is still stored",
    );
    reopened = await reopen(pair.joiner, stored);
    await converse(reopened, creator);
    for (const side of [reopened, creator]) {
      assert.deepEqual(side.parts.state.problems.map((p) => p.message), []);
      const notices = side.parts.state.messages.filter((m) => m.kind === "reset");
      assert.deepEqual(notices.map((m) => m.id), [second]);
    }
    assert.equal((await loadStored(id, storage)).messages.some((m) => m.id === first), false);
  } finally {
    for (const side of [joiner, creator, reopened]) await side?.parts[Symbol.asyncDispose]();
  }
});

Deno.test("a tab closed after storing the notice of a reset it answered, before its hello, says hello once the page opens again", async () => {
  const { pair, joiner, creator } = await connected();
  let reopened: Side | undefined;
  try {
    await joiner.parts.reset.start();
    await joiner.parts.settle();
    const offer = joiner.socket.sends().at(-1)!;
    joiner.passed = joiner.socket.sends().length;

    // The creator answers; its tab closes once the offer's notice is stored.
    const { storage } = pair.creator;
    const tab = closeAfter(storage, { message: (message) => message.kind === "reset" });
    await deliver(joiner, creator, offer.id, offer.body).catch(() => {});
    assert.equal(tab.closed(), true);
    creator.parts.stop();
    tab.undo();

    const stored = await loadStored(pair.creator.conversation.id, storage);
    assert.equal(stored.messages.some((m) => m.kind === "hello" && m.status === "pending"), false);
    reopened = await reopen(pair.creator, stored);
    const { parts } = reopened;
    // The offer, unacknowledged, comes again.
    await deliver(joiner, reopened, offer.id, offer.body);
    await converse(joiner, reopened);
    // Neither side waits on the other: the reset is over on both.
    for (const side of [joiner, reopened]) {
      assert.deepEqual(side.parts.state.problems.map((p) => p.message), []);
      assert.equal(isResetting(side.parts.state.conversation), false);
      assert.equal(canSeal(side.parts.state.conversation), true);
    }
    // And the joiner's messages open on the creator's side.
    await joiner.parts.outbox.write({ kind: "text", text: "after" }, joiner.parts.state.ulid());
    await converse(joiner, reopened);
    assert.ok(parts.state.messages.some((m) => m.text === "after"));
  } finally {
    for (const side of [joiner, creator, reopened]) await side?.parts[Symbol.asyncDispose]();
  }
});
