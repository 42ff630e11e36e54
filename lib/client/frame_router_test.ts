import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { recordAnswer, recordServer } from "../../tests/fixtures/record_server.ts";
import { makeStoredPair, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { routeFrame } from "./frame_router.ts";

// Frames arrive as the relay sends them: through the fake socket, the
// connection (which takes what it needs) and then the router.

Deno.test("a `ready` frame sends the messages that were waiting", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const written = await parts.outbox.write({ kind: "text", text: "Hi" }, parts.state.ulid());
  const socket = await parts.online();
  assert.deepEqual(socket.sends().map((f) => f.id), [written.id]);
});

Deno.test("a `joined` frame pins the new peer through the peer keys", async () => {
  const { creator, joiner } = await makeStoredPair({ pinned: false });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const changes = parts.changes;
  socket.deliver({ type: "joined", participant: joiner.participant });
  await parts.settle();
  assert.deepEqual(parts.state.conversation.peer, joiner.participant);
  assert.ok(parts.changes > changes);
});

Deno.test("presence of someone not pinned reads the server's record and pins the peer", async () => {
  const { creator, joiner, record } = await makeStoredPair({ pinned: false });
  // The joiner came while this browser was away; the record says so only now.
  let current = { ...record, participants: [creator.participant] };
  await using server = recordServer(() => recordAnswer(current)());
  await using parts = new ClientParts(creator, { baseUrl: server.baseUrl });
  const socket = await parts.online();
  assert.equal(parts.state.conversation.peer, null);
  current = record;
  const asked = server.paths.length;
  socket.deliver({ type: "presence", participantId: joiner.participant.id, online: true });
  await parts.settle();
  assert.equal(server.paths.length, asked + 1);
  assert.deepEqual(parts.state.conversation.peer, joiner.participant);
});

Deno.test("the peer going away hides its typing; coming back sends what it may have missed", async () => {
  const { joiner, creator } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const written = await parts.outbox.write({ kind: "text", text: "Hi" }, parts.state.ulid());
  parts.signals.onPeerTyping(true);
  socket.deliver({ type: "presence", participantId: creator.participant.id, online: false });
  await parts.settle();
  assert.equal(parts.signals.peerTyping, false);
  socket.deliver({ type: "presence", participantId: creator.participant.id, online: true });
  await parts.settle();
  assert.deepEqual(socket.sends().map((f) => f.id), [written.id, written.id]);
});

Deno.test("a `message` frame goes to the inbox", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const id = parts.state.ulid();
  socket.deliver(
    await sealAs(joiner, { v: 2, type: "text", id, text: "Hello", sentAt: 1, expiresIn: 0 }),
  );
  await parts.settle();
  assert.equal(parts.state.find(id)?.text, "Hello");
});

Deno.test("a `closed` frame ends the conversation once the server no longer has it", async () => {
  const { creator } = await makeStoredPair();
  await using server = recordServer(() =>
    Response.json({ error: { code: "not_found" } }, { status: 404 })
  );
  await using parts = new ClientParts(creator, { baseUrl: server.baseUrl });
  const socket = await parts.online();
  socket.deliver({ type: "closed", reason: "deleted" });
  await parts.settle();
  // Not "deleted": only the peer's sealed notice says who ended it.
  assert.equal(parts.state.conversation.closed, "ended");
  assert.equal(
    (await creator.storage.getConversation(creator.conversation.id))?.closed,
    "ended",
  );
  assert.equal(parts.connection.status, "closed");
});

Deno.test("a forged closed frame for a conversation the server still has changes nothing", async () => {
  const { creator, record } = await makeStoredPair();
  await using server = recordServer(recordAnswer(record));
  await using parts = new ClientParts(creator, { baseUrl: server.baseUrl });
  const socket = await parts.online();
  socket.deliver({ type: "closed", reason: "deleted" });
  await parts.settle();
  assert.equal(parts.state.conversation.closed, null);
  assert.equal((await creator.storage.getConversation(creator.conversation.id))?.closed, null);
  assert.equal(parts.connection.status, "online");
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("a `closed` frame after the conversation's own expiry ends it as expired", async () => {
  const { creator } = await makeStoredPair();
  const past = { ...creator.conversation, expiresAt: new Date(Date.now() - 1000).toISOString() };
  await using parts = new ClientParts({ ...creator, conversation: past });
  const socket = await parts.online();
  socket.deliver({ type: "closed", reason: "expired" });
  await parts.settle();
  assert.equal(parts.state.conversation.closed, "expired");
  assert.equal(parts.connection.status, "closed");
});

Deno.test("a forged `auth_failed` error is a problem the user can dismiss; other errors are none", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  socket.deliver({ type: "error", code: "rate_limited", message: "Too many frames" });
  socket.deliver({ type: "error", code: "peer_offline", message: "The other person is away" });
  await parts.settle();
  assert.equal(parts.state.problems.length, 0);
  socket.deliver({ type: "error", code: "auth_failed", message: "Bad signature" });
  await parts.settle();
  assert.deepEqual(parts.state.problems.map((p) => [p.kind, p.message]), [
    ["message", "The server refused this browser's sign-in to this conversation"],
  ]);
  parts.state.acknowledgeProblems();
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("the relay's own `ack` is no receipt: only the peer's sealed receipt marks delivery", async () => {
  const { joiner, creator } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const written = await parts.outbox.write({ kind: "text", text: "Hi" }, parts.state.ulid());
  const changes = parts.changes;
  await routeFrame(parts.router, { type: "ack", id: written.id, from: creator.participant.id });
  socket.deliver({ type: "ack", id: written.id, from: creator.participant.id });
  await parts.settle();
  assert.equal((await parts.stored(written.id))?.status, "sent");
  assert.equal(parts.changes, changes);
});

Deno.test("record reads the relay asks for never hold the queue: the person's own message is kept at once", async () => {
  const { creator } = await makeStoredPair({ session: true });
  // A server that takes the connection and never answers.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  await using parts = new ClientParts(creator, {
    baseUrl: `http://127.0.0.1:${listener.addr.port}`,
  });
  const socket = await parts.online();
  for (let i = 0; i < 5; i++) {
    socket.deliver({ type: "presence", participantId: parts.state.ulid(), online: true });
  }
  socket.deliver({ type: "closed", reason: "deleted" });
  socket.deliver({ type: "error", code: "auth_failed", message: "Authentication failed" });
  const started = Date.now();
  const written = await parts.outbox.write({ kind: "text", text: "Hi" }, parts.state.ulid());
  assert.ok(Date.now() - started < 1000, "not behind the reads");
  assert.equal((await parts.stored(written.id))?.text, "Hi");
  // One read at a time, however many were asked for.
  assert.ok(held.length <= 1, `${held.length} reads at once`);
  assert.equal(parts.state.conversation.closed, null);
  for (const conn of held) conn.close();
  listener.close();
  await accepting.catch(() => {});
});
