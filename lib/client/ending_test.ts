import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import { recordAnswer, recordServer } from "../../tests/fixtures/record_server.ts";
import { makeStoredPair, openAs } from "../../tests/fixtures/stored_pair.ts";

/** A record endpoint that says the conversation does not exist. */
function gone() {
  return recordServer(() => Response.json({ error: { code: "not_found" } }, { status: 404 }));
}

Deno.test("requestDelete() tells the peer sealed, asks the server, and takes the relay's closed frame as the answer", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using server = gone();
  await using parts = new ClientParts(creator, { baseUrl: server.baseUrl });
  const socket = await parts.online();
  const reads = server.paths.length;
  const deleted = parts.ending.requestDelete();
  await parts.settle();
  const frames = socket.frames();
  assert.equal(frames.length, 2);
  assert.equal(frames[0].type, "send");
  const notice = await openAs(joiner, String(frames[0].body));
  assert.equal(notice.type, "end");
  assert.deepEqual(frames[1], { type: "delete" });
  socket.deliver({ type: "closed", reason: "deleted" });
  // At once, not after the five seconds a delete waits at most.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((resolve) => timer = setTimeout(() => resolve("still waiting"), 500));
  assert.equal(await Promise.race([deleted, late]), true);
  clearTimeout(timer);
  assert.equal(parts.state.conversation.closed, "ended");
  const stored = await creator.storage.getConversation(creator.conversation.id);
  assert.equal(stored?.closed, "ended");
  // Its own delete confirmed by the relay: no read of the record (no 404 in the console).
  assert.equal(server.paths.length, reads);
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

Deno.test("requestDelete() gives up after five seconds without the server's word", async () => {
  using clock = new ManualClock();
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  await parts.online();
  let settled = false;
  const deleted = parts.ending.requestDelete().finally(() => settled = true);
  await parts.settle();
  clock.advance(4999);
  await Promise.resolve();
  assert.equal(settled, false);
  clock.advance(1);
  assert.equal(await deleted, false);
  assert.equal(parts.state.conversation.closed, null);
});

Deno.test("check() keeps a conversation the server still has, and ends one it lost", async () => {
  const { creator, record } = await makeStoredPair();
  {
    await using server = recordServer(recordAnswer(record));
    await using parts = new ClientParts(creator, { baseUrl: server.baseUrl });
    await parts.ending.check();
    assert.equal(parts.state.conversation.closed, null);
  }
  await using server = gone();
  await using parts = new ClientParts(creator, { baseUrl: server.baseUrl });
  await parts.ending.check();
  assert.equal(parts.state.conversation.closed, "ended");
});

Deno.test("check() cannot end a conversation while the server is unreachable", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  await parts.ending.check();
  assert.equal(parts.state.conversation.closed, null);
});

Deno.test("onPeerEnded() is the only way to 'the other person deleted it'", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  await parts.online();
  await parts.state.serial(() => parts.ending.onPeerEnded());
  assert.equal(parts.state.conversation.closed, "deleted");
  assert.equal(parts.connection.status, "closed");
});

Deno.test("after a delete the server never confirmed, a relay's closed frame is checked with the server again and does not end a conversation it still has", async () => {
  const { creator, record } = await makeStoredPair();
  await using server = recordServer(recordAnswer(record));
  await using parts = new ClientParts(creator, { baseUrl: server.baseUrl });
  const socket = await parts.online();
  {
    using clock = new ManualClock();
    const deleted = parts.ending.requestDelete();
    await parts.settle();
    clock.advance(5000);
    assert.equal(await deleted, false);
  }
  const reads = server.paths.length;
  socket.deliver({ type: "closed", reason: "deleted" });
  await parts.settle();
  await parts.ending.check();
  assert.ok(server.paths.length > reads, "the record was read again");
  assert.equal(parts.state.conversation.closed, null);
});
