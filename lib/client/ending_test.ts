import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";

Deno.test("onClosed() saves the reason and resolves a waiting requestDelete()", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const deleted = parts.ending.requestDelete();
  assert.deepEqual(socket.frames(), [{ type: "delete" }]);
  const changes = parts.changes;
  await parts.state.serial(() => parts.ending.onClosed("deleted"));
  // At once, not after the five seconds a delete waits at most.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((resolve) => timer = setTimeout(() => resolve("still waiting"), 500));
  assert.equal(await Promise.race([deleted, late]), true);
  clearTimeout(timer);
  assert.equal(parts.state.conversation.closed, "deleted");
  const stored = await creator.storage.getConversation(creator.conversation.id);
  assert.equal(stored?.closed, "deleted");
  assert.ok(parts.changes > changes);
});

Deno.test("requestDelete() returns false at once when not connected, and asks nothing", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  assert.equal(await parts.ending.requestDelete(), false);
  parts.connection.start();
  parts.sockets.last.open();
  // Open, but not yet accepted by the server.
  assert.equal(await parts.ending.requestDelete(), false);
  assert.deepEqual(parts.sockets.last.sent, []);
  assert.equal(parts.state.conversation.closed, null);
});

Deno.test("requestDelete() reports false when the conversation expired instead", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  await parts.online();
  const deleted = parts.ending.requestDelete();
  await parts.state.serial(() => parts.ending.onClosed("expired"));
  assert.equal(await deleted, false);
  assert.equal(parts.state.conversation.closed, "expired");
});

Deno.test("requestDelete() gives up after five seconds without the server's word", async () => {
  using clock = new ManualClock();
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  await parts.online();
  let settled = false;
  const deleted = parts.ending.requestDelete().finally(() => settled = true);
  clock.advance(4999);
  await Promise.resolve();
  assert.equal(settled, false);
  clock.advance(1);
  assert.equal(await deleted, false);
  assert.equal(parts.state.conversation.closed, null);
});
