/**
 * A tab that closes part way through answering a session reset offer: once
 * the page opens again and the offer comes again, the answer is completed.
 */
import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { connected, converse, deliver, FAST, type Side } from "../../tests/fixtures/reset_sides.ts";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { loadStored } from "./client_open.ts";

Deno.test("a tab closed after saving the new session, before marking its messages to seal again, still seals them again", async () => {
  const { pair, joiner, creator } = await connected();
  let reopened: Side | undefined;
  try {
    // The creator's message is lost on the way: sealed under the old session, unacknowledged.
    const id = creator.parts.state.ulid();
    await creator.parts.outbox.write({ kind: "text", text: "dropped" }, id);
    await creator.parts.settle();
    creator.passed = creator.socket.sends().length;
    await joiner.parts.reset.start();
    await joiner.parts.settle();
    const offer = joiner.socket.sends().at(-1)!;
    joiner.passed = joiner.socket.sends().length;

    // The creator answers; its tab closes once the new session is saved.
    const { storage } = pair.creator;
    const { putMessage, putConversation, deleteMessage } = storage;
    let closed = false;
    const refuse = () => Promise.reject(new Error("The tab closed"));
    storage.putConversation = async (conversation, options) => {
      if (closed) return await refuse();
      await putConversation.call(storage, conversation, options);
      if ((conversation.generation ?? 0) > 0) closed = true;
    };
    storage.putMessage = (...args) => closed ? refuse() : putMessage.apply(storage, args);
    storage.deleteMessage = (...args) => closed ? refuse() : deleteMessage.apply(storage, args);
    await deliver(joiner, creator, offer.id, offer.body).catch(() => {});
    assert.equal(closed, true);
    creator.parts.stop();
    Object.assign(storage, { putMessage, putConversation, deleteMessage });

    // The page opens again; the offer, never acknowledged, comes again.
    const stored = await loadStored(pair.creator.conversation.id, storage);
    const parts = new ClientParts({ ...pair.creator, conversation: stored.conversation }, {
      sendRate: FAST,
      messages: stored.messages,
    });
    reopened = { parts, socket: await parts.online(), passed: 0 };
    await deliver(joiner, reopened, offer.id, offer.body);
    await converse(joiner, reopened);
    assert.deepEqual(joiner.parts.state.problems.map((p) => p.message), []);
    assert.ok(
      joiner.parts.state.messages.some((m) => m.text === "dropped"),
      "sealed again, it arrives",
    );
    assert.equal(parts.state.find(id)?.status, "delivered");
  } finally {
    for (const side of [joiner, creator, reopened]) await side?.parts[Symbol.asyncDispose]();
  }
});
