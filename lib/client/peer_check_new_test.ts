import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { startInitiator } from "./secure_channel.ts";

// The checks of a first peer (`peer_check_new.ts`) are fetched by `import()`
// the first time a peer shows up. Frames wait for them in the client's queue.

Deno.test("a `joined` frame and the joiner's first message right behind it are handled in order while the first peer's checks load", async () => {
  const { creator, joiner } = await makeStoredPair({ pinned: false });
  // The joiner pinned the creator from the invite and sealed its first message.
  const peer = { id: creator.participant.id, bundle: creator.conversation.bundle };
  joiner.conversation = await startInitiator({ ...joiner.conversation, peer }, peer);
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const id = parts.state.ulid();
  const first = await sealAs(joiner, {
    v: 2,
    type: "text",
    id,
    text: "Hello",
    sentAt: 1,
    expiresIn: 0,
  });
  // Back to back: the message comes while the checks of the new peer may still load.
  socket.deliver({ type: "joined", participant: joiner.participant });
  socket.deliver(first);
  await parts.settle();
  assert.deepEqual(parts.state.conversation.peer, joiner.participant);
  assert.equal(parts.state.find(id)?.text, "Hello");
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("a first peer whose bundle was not made with this invite is refused after its checks load, and a second try is checked again", async () => {
  const { creator, joiner } = await makeStoredPair({ pinned: false });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const forged = { ...joiner.participant.bundle, access: creator.participant.bundle.access };
  socket.deliver({ type: "joined", participant: { ...joiner.participant, bundle: forged } });
  await parts.settle();
  assert.equal(parts.state.conversation.peer, null);
  assert.equal(parts.state.problems.length, 1);
  socket.deliver({ type: "joined", participant: joiner.participant });
  await parts.settle();
  assert.deepEqual(parts.state.conversation.peer, joiner.participant);
});
