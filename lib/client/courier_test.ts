import assert from "node:assert/strict";
import { runWithout } from "../../tests/fixtures/missing_module.ts";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs } from "../../tests/fixtures/stored_pair.ts";
import type { Payload } from "../crypto/payload.ts";
import type { StoredConversation } from "./storage.ts";

function typing(id: string): Payload {
  return { v: 2, type: "typing", id, active: true, sentAt: 1_700_000_000_000 };
}

Deno.test("sendEphemeral() returns false and seals nothing while the peer is not ready", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const ratchet = parts.state.conversation.ratchet;
  // Not connected at all.
  assert.equal(await parts.courier.sendEphemeral(typing(parts.state.ulid())), false);
  // Connected, but the peer is away.
  const socket = await parts.online(false);
  assert.equal(await parts.courier.sendEphemeral(typing(parts.state.ulid())), false);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
  const stored = await joiner.storage.getConversation(joiner.conversation.id);
  assert.deepEqual(stored?.ratchet, ratchet);
  assert.deepEqual(socket.sends(), []);
});

Deno.test("sendEphemeral() saves the advanced ratchet before the body leaves, and the peer opens it", async () => {
  const pair = await makeStoredPair();
  const { joiner, creator } = pair;
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const before = parts.state.conversation.ratchet;
  let storedAtSend: Promise<StoredConversation | undefined> | undefined;
  // The in-memory storage copies the record at the call, so this is the
  // record as stored at the moment the frame went out.
  socket.onSend = () => storedAtSend = joiner.storage.getConversation(joiner.conversation.id);
  const payload = typing(parts.state.ulid());
  assert.equal(await parts.courier.sendEphemeral(payload), true);
  const atSend = await storedAtSend;
  assert.notDeepEqual(atSend?.ratchet, before);
  assert.deepEqual(atSend?.ratchet, parts.state.conversation.ratchet);
  const [frame] = socket.sends();
  assert.equal(frame.id, payload.id);
  assert.equal(frame.to, creator.participant.id);
  assert.deepEqual(await openAs(creator, frame.body), payload);
});

Deno.test("sendEphemeral() sends nothing and seals nothing over the send budget", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner, { sendRate: { perSecond: 1, burst: 1 } });
  const socket = await parts.online();
  assert.equal(await parts.courier.sendEphemeral(typing(parts.state.ulid())), true);
  const ratchet = parts.state.conversation.ratchet;
  assert.equal(await parts.courier.sendEphemeral(typing(parts.state.ulid())), false);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
  assert.equal(socket.sends().length, 1);
});

Deno.test("the creator cannot seal before it has opened the joiner's first message", async () => {
  const before = await makeStoredPair();
  await using waiting = new ClientParts(before.creator);
  assert.equal(waiting.courier.canSeal, false);
  await waiting.online();
  assert.equal(await waiting.courier.sendEphemeral(typing(waiting.state.ulid())), false);
  const after = await makeStoredPair({ session: true });
  await using ready = new ClientParts(after.creator);
  assert.equal(ready.courier.canSeal, true);
});

Deno.test("seal() uses a new message key for every payload and stores each step", async () => {
  const { joiner, creator } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const first = typing(parts.state.ulid());
  const second = typing(parts.state.ulid());
  const firstBody = await parts.courier.seal(first);
  const afterFirst = parts.state.conversation.ratchet;
  const secondBody = await parts.courier.seal(second);
  assert.notEqual(firstBody, secondBody);
  assert.notDeepEqual(parts.state.conversation.ratchet, afterFirst);
  const stored = await joiner.storage.getConversation(joiner.conversation.id);
  assert.deepEqual(stored?.ratchet, parts.state.conversation.ratchet);
  assert.deepEqual(await openAs(creator, firstBody), first);
  assert.deepEqual(await openAs(creator, secondBody), second);
});

Deno.test("when the code that seals cannot be fetched, a receipt owed waits without asking for the code again and again", async () => {
  const result = await runWithout(
    "lib/client/channel_code.ts",
    "tests/fixtures/receipt_without_code.ts",
    "tests/fixtures/channel_code_unreachable.ts",
  ) as { attempts: number; sent: number; problems: string[] };
  // One try when the receipt fell due, none on a timer after it.
  assert.ok(result.attempts <= 2, `asked for the code ${result.attempts} times in a second`);
  assert.equal(result.sent, 0);
  assert.deepEqual(result.problems, ["load"]);
});

Deno.test("when the code that seals cannot be fetched, a file's chunks stop (the problem pauses sending) instead of asking for the code again and again", async () => {
  const result = await runWithout(
    "lib/client/channel_code.ts",
    "tests/fixtures/file_without_code.ts",
    "tests/fixtures/channel_code_unreachable.ts",
  ) as { ended: unknown; attempts: number; sent: number };
  assert.equal(result.ended, false);
  assert.equal(result.attempts, 1);
  assert.equal(result.sent, 0);
});

Deno.test("when the code that seals cannot be fetched, a message waits unsealed, nothing is sent, one problem asks for a reload, and a deletion still asks the server", async () => {
  const result = await runWithout(
    "lib/client/channel_code.ts",
    "tests/fixtures/send_without_code.ts",
    "tests/fixtures/channel_code_unreachable.ts",
  ) as Record<string, unknown>;
  assert.equal(result.write, "stored");
  assert.equal(result.ephemeral, false);
  assert.deepEqual(result.messages, [["hi", "pending", true]]);
  assert.equal(result.sent, 0);
  assert.deepEqual(result.problems, [[
    "load",
    "A message could not be sent because part of the page did not load; it waits here and goes once you reload the page",
  ]]);
  // The peer cannot be told, but the server is asked all the same.
  assert.equal(result.deleteAsked, true);
  assert.equal(result.delete, "asked: false");
});
