import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { recordAnswer, recordServer } from "../../tests/fixtures/record_server.ts";
import { makeStoredPair, strangerBundle } from "../../tests/fixtures/stored_pair.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";

Deno.test("adopt() pins a joiner whose bundle verifies, and the creator queues nothing", async () => {
  const { creator, joiner } = await makeStoredPair({ pinned: false });
  await using parts = new ClientParts(creator);
  await parts.peers.adopt(joiner.participant);
  assert.deepEqual(parts.state.conversation.peer, joiner.participant);
  const stored = await creator.storage.getConversation(creator.conversation.id);
  assert.deepEqual(stored?.peer, joiner.participant);
  // The creator answers only once the joiner has spoken.
  assert.equal(stored?.ratchet, null);
  assert.deepEqual(parts.state.messages, []);
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("adopt() on the joiner pins the creator, starts the handshake and queues one hello", async () => {
  const { creator, joiner } = await makeStoredPair({ pinned: false });
  await using parts = new ClientParts(joiner);
  await parts.peers.adopt(creator.participant);
  const { conversation } = parts.state;
  assert.deepEqual(conversation.peer, creator.participant);
  assert.notEqual(conversation.ratchet, null);
  assert.notEqual(conversation.handshake, null);
  assert.deepEqual(parts.state.messages.map((m) => [m.kind, m.direction, m.status]), [
    ["hello", "out", "pending"],
  ]);
  // Presented again (a reconnect): still one hello, the same handshake.
  await parts.peers.adopt(creator.participant);
  await parts.peers.adopt(joiner.participant);
  assert.equal(parts.state.messages.length, 1);
  assert.deepEqual(parts.state.conversation.handshake, conversation.handshake);
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("adopt() refuses keys that changed after pinning as a key problem and keeps the pinned ones", async () => {
  const { creator, joiner } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  const replaced = { id: joiner.participant.id, bundle: await strangerBundle() };
  await parts.peers.adopt(replaced);
  assert.deepEqual(parts.state.problems.map((p) => [p.kind, p.message]), [
    ["keys", "The other person's keys changed; refused"],
  ]);
  assert.deepEqual(parts.state.conversation.peer, joiner.participant);
});

Deno.test("adopt() refuses a peer whose bundle was not made with this invite", async () => {
  const { creator, joiner } = await makeStoredPair({ pinned: false });
  await using parts = new ClientParts(creator);
  await parts.peers.adopt({ id: joiner.participant.id, bundle: await strangerBundle() });
  assert.deepEqual(parts.state.problems.map((p) => p.kind), ["keys"]);
  assert.match(parts.state.problems[0].message, /not made with this invite/);
  assert.equal(parts.state.conversation.peer, null);
  assert.equal((await creator.storage.getConversation(creator.conversation.id))?.peer, null);
});

Deno.test("adopt() refuses the server replacing this browser's own keys", async () => {
  const { creator } = await makeStoredPair();
  await using parts = new ClientParts(creator);
  await parts.peers.adopt({ id: creator.participant.id, bundle: await strangerBundle() });
  assert.deepEqual(parts.state.problems.map((p) => [p.kind, p.message]), [
    ["keys", "The server replaced this browser's own keys"],
  ]);
});

Deno.test("refresh() reads the server's record and pins the peer in it", async () => {
  const { creator, joiner, record } = await makeStoredPair({ pinned: false });
  await using stub = recordServer(recordAnswer(record));
  await using parts = new ClientParts(creator, { baseUrl: stub.baseUrl });
  assert.equal(await parts.peers.refresh(), true);
  assert.deepEqual(parts.state.conversation.peer, joiner.participant);
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("refresh() reports false only when the server no longer has the conversation", async () => {
  const { creator } = await makeStoredPair();
  await using gone = recordServer(() =>
    Response.json({ error: { code: "not_found" } }, { status: 404 })
  );
  await using parts = new ClientParts(creator, { baseUrl: gone.baseUrl });
  assert.equal(await parts.peers.refresh(), false);
  assert.deepEqual(gone.paths, [`/api/conversations/${creator.conversation.id}`]);
  // Unreachable counts as still there, and is no problem.
  await using away = new ClientParts(creator);
  assert.equal(await away.peers.refresh(), true);
  assert.deepEqual(away.state.problems, []);
});

Deno.test("refresh() reports a changed access key or a malformed record as a key problem", async () => {
  const { creator, record } = await makeStoredPair({ pinned: false });
  const otherKey = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  await using changed = recordServer(recordAnswer({ ...record, accessKey: otherKey }));
  await using parts = new ClientParts(creator, { baseUrl: changed.baseUrl });
  assert.equal(await parts.peers.refresh(), true);
  assert.deepEqual(parts.state.problems.map((p) => [p.kind, p.message]), [
    ["keys", "The server changed this conversation's access key"],
  ]);
  assert.equal(parts.state.conversation.peer, null);
  await using malformed = recordServer(() => Response.json({ conversation: { id: 7 } }));
  await using other = new ClientParts(creator, { baseUrl: malformed.baseUrl });
  await other.peers.refresh();
  assert.deepEqual(other.state.problems.map((p) => p.kind), ["keys"]);
  assert.match(
    other.state.problems[0].message,
    /^The server's record of this conversation is invalid/,
  );
});
