import assert from "node:assert/strict";
import { message } from "../../tests/fixtures/client_parts.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";
import { ClientState } from "./client_state.ts";
import { Expiry } from "./expiry.ts";

async function expiryOf() {
  const { creator: side } = await makeStoredPair({ pinned: false });
  let changes = 0;
  const state = new ClientState(side.conversation, [], {
    storage: side.storage,
    onChange: () => changes++,
    onStale: () => {},
  });
  const settle = () => state.serial(() => Promise.resolve());
  return { side, state, expiry: new Expiry(state), settle, changes: () => changes };
}

Deno.test("removeExpired() deletes expired messages from storage and view and remembers incoming ones by ID and body hash", async () => {
  const { side, state, expiry } = await expiryOf();
  const now = Date.now();
  const past = { expiresIn: 300, expiresAt: now - 1 };
  const incoming = message(side, "01J0000000000000000000000A", { ...past, bodyHash: "hash-a" });
  const outgoing = message(side, "01J0000000000000000000000B", { ...past, direction: "out" });
  const file = message(side, "01J0000000000000000000000C", {
    ...past,
    kind: "file",
    bodyHash: "hash-c",
  });
  const later = message(side, "01J0000000000000000000000D", {
    expiresIn: 300,
    expiresAt: now + 60_000,
  });
  const kept = message(side, "01J0000000000000000000000E");
  for (const m of [incoming, outgoing, file, later, kept]) await state.insert(m);
  await side.storage.putFile(side.conversation.id, file.id, new Blob(["bytes"]));
  await state.serial(() => expiry.removeExpired());
  assert.deepEqual(state.messages.map((m) => m.id), [later.id, kept.id]);
  const stored = await side.storage.listMessages(side.conversation.id);
  assert.deepEqual(stored.map((m) => m.id), [later.id, kept.id]);
  assert.equal(await side.storage.getFile(side.conversation.id, file.id), undefined);
  assert.deepEqual(state.conversation.gone, [
    { id: incoming.id, bodyHash: "hash-a" },
    { id: file.id, bodyHash: "hash-c" },
  ]);
  const record = await side.storage.getConversation(side.conversation.id);
  assert.deepEqual(record?.gone, state.conversation.gone);
});

Deno.test("removeExpired() with nothing expired changes nothing", async () => {
  const { side, state, expiry, changes } = await expiryOf();
  await state.insert(message(side, "01J0000000000000000000000A", { expiresAt: Date.now() + 1000 }));
  await state.serial(() => expiry.removeExpired());
  assert.equal(state.messages.length, 1);
  assert.equal(state.conversation.gone, undefined);
  assert.equal(changes(), 0);
});

Deno.test("at most 2000 disappeared messages are remembered, the oldest forgotten first", async () => {
  const { side, state, expiry } = await expiryOf();
  const remembered = Array.from({ length: 1999 }, (_, i) => ({ id: `old-${i}`, bodyHash: "h" }));
  await state.save({ ...state.conversation, gone: remembered });
  const past = { expiresIn: 300, expiresAt: Date.now() - 1 };
  await state.insert(message(side, "01J0000000000000000000000A", { ...past, bodyHash: "a" }));
  await state.insert(message(side, "01J0000000000000000000000B", { ...past, bodyHash: "b" }));
  await state.serial(() => expiry.removeExpired());
  const gone = state.conversation.gone!;
  assert.equal(gone.length, 2000);
  assert.equal(gone[0].id, "old-1");
  assert.deepEqual(gone.slice(-2).map((g) => g.id), [
    "01J0000000000000000000000A",
    "01J0000000000000000000000B",
  ]);
});

Deno.test("start() removes what has expired at once, then checks every second until stop()", async () => {
  using clock = new ManualClock();
  const { side, state, expiry, settle } = await expiryOf();
  const now = Date.now();
  const expired = message(side, "01J0000000000000000000000A", { expiresAt: now - 1 });
  const soon = message(side, "01J0000000000000000000000B", { expiresAt: now + 1500 });
  const afterStop = message(side, "01J0000000000000000000000C", { expiresAt: now + 2500 });
  for (const m of [expired, soon, afterStop]) await state.insert(m);
  expiry.start();
  await settle();
  assert.deepEqual(state.messages.map((m) => m.id), [soon.id, afterStop.id]);
  clock.advance(1000);
  await settle();
  assert.equal(state.messages.length, 2);
  clock.advance(1000);
  await settle();
  assert.deepEqual(state.messages.map((m) => m.id), [afterStop.id]);
  expiry.stop();
  assert.equal(clock.pending, 0);
  clock.advance(5000);
  await settle();
  assert.deepEqual(state.messages.map((m) => m.id), [afterStop.id]);
});
