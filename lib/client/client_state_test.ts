import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { message } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, type StoredSide } from "../../tests/fixtures/stored_pair.ts";
import { ClientState } from "./client_state.ts";
import { ConversationGoneError, StaleWriterError } from "./storage.ts";

async function stateOf(side?: StoredSide) {
  side ??= (await makeStoredPair({ pinned: false })).creator;
  const calls = { changes: 0, stale: 0, gone: 0 };
  const state = new ClientState(side.conversation, [], {
    storage: side.storage,
    onChange: () => calls.changes++,
    onStale: () => calls.stale++,
    onGone: () => calls.gone++,
  });
  return { side, state, calls };
}

Deno.test("a save by the writer that holds the conversation is stored and shown", async () => {
  const { side, state } = await stateOf();
  await state.save({ ...state.conversation, verified: "12345" });
  assert.equal(state.conversation.verified, "12345");
  assert.equal((await side.storage.getConversation(side.conversation.id))?.verified, "12345");
});

Deno.test("a save by a stale writer throws StaleWriterError, calls onStale and changes nothing", async () => {
  const { side, state, calls } = await stateOf();
  // Another tab opens the conversation and so becomes its writer.
  await side.storage.claimConversation(side.conversation.id, "another tab");
  await assert.rejects(
    () => state.save({ ...state.conversation, verified: "12345" }),
    StaleWriterError,
  );
  assert.equal(calls.stale, 1);
  assert.equal(state.conversation.verified, null);
  const stored = await side.storage.getConversation(side.conversation.id);
  assert.equal(stored?.verified, null);
  assert.equal(stored?.writer, "another tab");
});

Deno.test("insert() shows received messages in ID order while append() puts a new one last", async () => {
  const { side, state } = await stateOf();
  await state.append(message(side, "01J0000000000000000000000C", { direction: "out" }));
  await state.insert(message(side, "01J0000000000000000000000A"));
  await state.insert(message(side, "01J0000000000000000000000D"));
  await state.insert(message(side, "01J0000000000000000000000B"));
  // An outgoing message goes last even when a received one has a later ID.
  await state.append(message(side, "01J00000000000000000000000", { direction: "out" }));
  assert.deepEqual(state.messages.map((m) => m.id.slice(-1)), ["A", "B", "C", "D", "0"]);
  const stored = await side.storage.listMessages(side.conversation.id);
  assert.equal(stored.length, 5);
});

Deno.test("update() stores and shows the change; remove() takes messages from storage and view", async () => {
  const { side, state, calls } = await stateOf();
  const first = message(side, "01J0000000000000000000000A");
  const second = message(side, "01J0000000000000000000000B");
  await state.insert(first);
  await state.insert(second);
  await state.update(first, { status: "read" });
  assert.equal(state.find(first.id)?.status, "read");
  assert.equal((await side.storage.getMessage(side.conversation.id, first.id))?.status, "read");
  await state.remove([state.find(first.id)!]);
  assert.deepEqual(state.messages.map((m) => m.id), [second.id]);
  assert.equal(await side.storage.getMessage(side.conversation.id, first.id), undefined);
  assert.equal(calls.changes, 2);
});

Deno.test("report() shows a problem once, however often it is reported", async () => {
  const { state, calls } = await stateOf();
  state.report("message", "A message failed verification and was discarded");
  state.report("message", "A message failed verification and was discarded");
  state.report("keys", "The other person's keys changed; refused");
  assert.deepEqual(state.problems.map((p) => [p.kind, p.message]), [
    ["message", "A message failed verification and was discarded"],
    ["keys", "The other person's keys changed; refused"],
  ]);
  assert.notEqual(state.problems[0].id, state.problems[1].id);
  assert.equal(calls.changes, 2);
});

Deno.test("acknowledgeProblems() dismisses message problems and keeps key problems", async () => {
  const { state } = await stateOf();
  state.report("message", "A message of yours was sent back to you; rejected");
  state.report("keys", "The server replaced this browser's own keys");
  state.report("message", "A message came from someone who is not the other person");
  state.acknowledgeProblems();
  assert.deepEqual(state.problems.map((p) => p.message), [
    "The server replaced this browser's own keys",
  ]);
});

Deno.test("serial() runs work one step at a time, in the order it arrived", async () => {
  const { state } = await stateOf();
  const log: string[] = [];
  const slow = state.serial(async () => {
    log.push("slow starts");
    await new Promise((resolve) => setTimeout(resolve, 20));
    log.push("slow ends");
    return 1;
  });
  const fast = state.serial(() => {
    log.push("fast runs");
    return Promise.resolve(2);
  });
  assert.deepEqual(await Promise.all([slow, fast]), [1, 2]);
  assert.deepEqual(log, ["slow starts", "slow ends", "fast runs"]);
});

Deno.test("serial() turns a thrown error into a visible problem and goes on with the next work", async () => {
  const { state } = await stateOf();
  await assert.rejects(
    () => state.serial(() => Promise.reject(new Error("the disk is full"))),
    /the disk is full/,
  );
  assert.deepEqual(state.problems.map((p) => [p.kind, p.message]), [
    ["message", "Something went wrong: the disk is full"],
  ]);
  assert.equal(await state.serial(() => Promise.resolve("next")), "next");
});

Deno.test("writes refused because the conversation was deleted in settings call onGone once, store nothing and show no problem", async () => {
  const { side, state, calls } = await stateOf();
  const id = side.conversation.id;
  // Settings deletes the conversation while this client has it open.
  await side.storage.deleteConversation(id);
  await assert.rejects(
    () => state.serial(() => state.insert(message(side, "01J0000000000000000000000A"))),
    ConversationGoneError,
  );
  await assert.rejects(
    () => state.save({ ...state.conversation, verified: "12345" }),
    ConversationGoneError,
  );
  await assert.rejects(
    () => state.storage.putChunk(id, "01J0000000000000000000000B", 0, Uint8Array.of(1)),
    ConversationGoneError,
  );
  assert.equal(state.gone, true);
  assert.deepEqual(calls, { changes: 0, stale: 0, gone: 1 });
  assert.deepEqual(state.messages, []);
  assert.deepEqual(state.problems, []);
  assert.equal(await side.storage.getConversation(id), undefined);
  assert.deepEqual(await side.storage.listMessages(id), []);
  assert.equal(await side.storage.countChunks(id, "01J0000000000000000000000B"), 0);
});
