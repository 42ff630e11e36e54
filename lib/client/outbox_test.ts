import assert from "node:assert/strict";
import { ClientParts, message, waitFor } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs } from "../../tests/fixtures/stored_pair.ts";
import { FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";

const TEXT = { kind: "text", text: "See you at six" } as const;

Deno.test("write() stores a pending message and sends nothing while the peer is away", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const written = await parts.outbox.write(TEXT, parts.state.ulid());
  assert.equal(written.status, "pending");
  const stored = await parts.stored(written.id);
  assert.equal(stored?.status, "pending");
  assert.equal(stored?.envelope, null);
  assert.equal(stored?.text, "See you at six");
  assert.deepEqual(parts.state.messages.map((m) => m.id), [written.id]);
  const socket = await parts.online(false);
  assert.deepEqual(socket.sends(), []);
  assert.equal((await parts.stored(written.id))?.status, "pending");
});

Deno.test("flush() seals a message once, sends it and marks it sent", async () => {
  const { joiner, creator } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const written = await parts.outbox.write(TEXT, parts.state.ulid());
  const [frame] = socket.sends();
  assert.equal(frame.id, written.id);
  assert.equal(frame.to, creator.participant.id);
  const stored = await parts.stored(written.id);
  assert.equal(stored?.status, "sent");
  assert.equal(stored?.envelope, frame.body);
  const payload = await openAs(creator, frame.body);
  assert.ok(payload.type === "text");
  assert.equal(payload.text, "See you at six");
  assert.equal(payload.id, written.id);
  // Flushing again sends nothing new and seals nothing.
  const ratchet = parts.state.conversation.ratchet;
  await parts.state.serial(() => parts.outbox.flush());
  assert.equal(socket.sends().length, 1);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
});

Deno.test("a pending message goes out when the server says the peer is there", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const written = await parts.outbox.write(TEXT, parts.state.ulid());
  const socket = await parts.online();
  assert.deepEqual(socket.sends().map((f) => f.id), [written.id]);
  assert.equal((await parts.stored(written.id))?.status, "sent");
});

Deno.test("a message is resent with the same envelope, not sealed again, after resendEpoch changes", async () => {
  const { joiner, creator } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const written = await parts.outbox.write(TEXT, parts.state.ulid());
  const ratchet = parts.state.conversation.ratchet;
  const epoch = parts.connection.resendEpoch;
  // The peer's tab reloaded: it may have missed what was sent.
  socket.deliver({ type: "presence", participantId: creator.participant.id, online: true });
  await parts.settle();
  assert.equal(parts.connection.resendEpoch, epoch + 1);
  const sends = socket.sends();
  assert.deepEqual(sends.map((f) => f.id), [written.id, written.id]);
  assert.equal(sends[1].body, sends[0].body);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
  assert.equal((await parts.stored(written.id))?.status, "sent");
});

Deno.test("a delivered or read message is not resent when the peer comes back", async () => {
  const { joiner, creator } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const delivered = await parts.outbox.write(TEXT, parts.state.ulid());
  const read = await parts.outbox.write(TEXT, parts.state.ulid());
  await parts.state.serial(async () => {
    await parts.outbox.onReceipt([delivered.id], "delivered");
    await parts.outbox.onReceipt([read.id], "read");
  });
  socket.deliver({ type: "presence", participantId: creator.participant.id, online: true });
  await parts.settle();
  assert.deepEqual(socket.sends().map((f) => f.id), [delivered.id, read.id]);
});

Deno.test("onReceipt() marks a message delivered, then read, and never back from read", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  await parts.online();
  const written = await parts.outbox.write(TEXT, parts.state.ulid());
  await parts.outbox.onReceipt([written.id], "delivered");
  assert.equal((await parts.stored(written.id))?.status, "delivered");
  await parts.outbox.onReceipt([written.id], "read");
  assert.equal((await parts.stored(written.id))?.status, "read");
  await parts.outbox.onReceipt([written.id], "delivered");
  assert.equal((await parts.stored(written.id))?.status, "read");
  assert.equal(parts.state.find(written.id)?.status, "read");
});

Deno.test("onReceipt() ignores IDs of unknown and of incoming messages", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const incoming = message(joiner, parts.state.ulid());
  await parts.state.insert(incoming);
  const before = parts.changes;
  await parts.outbox.onReceipt([incoming.id, parts.state.ulid()], "read");
  assert.equal((await parts.stored(incoming.id))?.status, "received");
  assert.equal(parts.changes, before);
});

Deno.test("nothing goes out while a problem is shown; it goes once the problem is acknowledged", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  parts.state.report("message", "A message failed verification and was discarded");
  const written = await parts.outbox.write(TEXT, parts.state.ulid());
  assert.deepEqual(socket.sends(), []);
  const stored = await parts.stored(written.id);
  assert.equal(stored?.status, "pending");
  assert.equal(stored?.envelope, null);
  parts.state.acknowledgeProblems();
  await parts.state.serial(() => parts.outbox.flush());
  assert.deepEqual(socket.sends().map((f) => f.id), [written.id]);
});

Deno.test("over the send budget the rest of the outbox waits, then goes out in order", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  // One frame each half second: three writes on a loaded machine never take that long.
  await using parts = new ClientParts(joiner, { sendRate: { perSecond: 2, burst: 1 } });
  const socket = await parts.online();
  const ids = [parts.state.ulid(), parts.state.ulid(), parts.state.ulid()];
  for (const id of ids) await parts.outbox.write({ kind: "text", text: id }, id);
  assert.equal(socket.sends().length, 1);
  await waitFor(() => socket.sends().length === 3, "the paced messages");
  await parts.settle();
  assert.deepEqual(socket.sends().map((f) => f.id), ids);
});

Deno.test("a file's chunks start once its announcement went out", async () => {
  const { joiner, creator } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const bytes = crypto.getRandomValues(new Uint8Array(FILE_CHUNK_BYTES + 100));
  const { id, info } = await parts.files.prepare(new Blob([bytes]), {
    name: "notes.txt",
    maxBytes: 1024 * 1024,
  });
  await parts.outbox.write({ kind: "file", text: "", file: info }, id);
  await waitFor(() => socket.sends().length === 3, "the announcement and two chunks");
  await parts.settle();
  const payloads = [];
  for (const frame of socket.sends()) payloads.push(await openAs(creator, frame.body));
  assert.deepEqual(payloads.map((p) => p.type), ["file", "chunk", "chunk"]);
  assert.deepEqual(payloads.slice(1).map((p) => p.type === "chunk" && [p.file, p.index]), [
    [id, 0],
    [id, 1],
  ]);
  assert.equal((await parts.stored(id))?.status, "sent");
});
