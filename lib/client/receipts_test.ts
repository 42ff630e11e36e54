import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import { makeStoredPair, openAs, type StoredSide } from "../../tests/fixtures/stored_pair.ts";
import type { FakeSocket } from "../../tests/fixtures/fake_socket.ts";

/** The receipt IDs of every frame sent, opened on the other side. */
async function receiptIds(socket: FakeSocket, other: StoredSide): Promise<string[][]> {
  const result = [];
  for (const frame of socket.sends()) {
    const payload = await openAs(other, frame.body);
    assert.equal(payload.type, "receipt");
    if (payload.type === "receipt") result.push(payload.ids);
  }
  return result;
}

Deno.test("receipts of several messages within the delay go out in one frame", async () => {
  using clock = new ManualClock();
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const ids = [parts.state.ulid(), parts.state.ulid(), parts.state.ulid()];
  parts.receipts.add(ids[0]);
  clock.advance(20);
  parts.receipts.add(ids[1]);
  parts.receipts.add(ids[2]);
  clock.advance(9);
  await parts.settle();
  assert.deepEqual(socket.sends(), []);
  clock.advance(1);
  await parts.settle();
  assert.deepEqual(await receiptIds(socket, joiner), [ids]);
  assert.equal(clock.pending, 0);
});

Deno.test("more than 100 receipts are split into frames of at most 100", async () => {
  using clock = new ManualClock();
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const ids = Array.from({ length: 150 }, () => parts.state.ulid());
  for (const id of ids) parts.receipts.add(id);
  clock.advance(30);
  await parts.settle();
  const frames = await receiptIds(socket, joiner);
  assert.deepEqual(frames.map((f) => f.length), [100, 50]);
  assert.deepEqual(frames.flat(), ids);
});

Deno.test("receipts wait while the peer is away and go out when it comes back", async () => {
  using clock = new ManualClock();
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  const socket = await parts.online(false);
  const id = parts.state.ulid();
  parts.receipts.add(id);
  clock.advance(30);
  await parts.settle();
  assert.deepEqual(socket.sends(), []);
  // Not retried on a timer: the next flush takes them.
  assert.equal(clock.pending, 0);
  socket.deliver({ type: "presence", participantId: joiner.participant.id, online: true });
  await parts.settle();
  assert.deepEqual(await receiptIds(socket, joiner), [[id]]);
});

Deno.test("receipts held back by the send budget are tried again when it allows", async () => {
  using clock = new ManualClock();
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator, { sendRate: { perSecond: 10, burst: 1 } });
  const socket = await parts.online();
  assert.ok(parts.connection.take());
  const id = parts.state.ulid();
  parts.receipts.add(id);
  clock.advance(30);
  await parts.settle();
  assert.deepEqual(socket.sends(), []);
  assert.equal(clock.pending, 1);
  clock.advance(100);
  await parts.settle();
  assert.deepEqual(await receiptIds(socket, joiner), [[id]]);
});

Deno.test("stop() cancels the receipts waiting for the delay", async () => {
  using clock = new ManualClock();
  const { creator } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  parts.receipts.add(parts.state.ulid());
  assert.equal(clock.pending, 1);
  parts.receipts.stop();
  assert.equal(clock.pending, 0);
  clock.advance(1000);
  await parts.settle();
  assert.deepEqual(socket.sends(), []);
});
