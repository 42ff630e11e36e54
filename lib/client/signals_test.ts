import assert from "node:assert/strict";
import { ClientParts, message } from "../../tests/fixtures/client_parts.ts";
import type { FakeSocket } from "../../tests/fixtures/fake_socket.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import { makeStoredPair, openAs, type StoredSide } from "../../tests/fixtures/stored_pair.ts";
import type { Payload } from "../crypto/payload.ts";
import type { ClientPreferences } from "./signals.ts";

/** The joiner's parts, online, and the creator who opens what they send. */
async function joinerOnline(preferences: Partial<ClientPreferences> = {}) {
  const { joiner, creator } = await makeStoredPair({ session: true });
  const parts = new ClientParts(joiner, { preferences });
  const socket = await parts.online();
  return { parts, socket, creator };
}

async function opened(socket: FakeSocket, other: StoredSide): Promise<Payload[]> {
  const result = [];
  for (const frame of socket.sends()) result.push(await openAs(other, frame.body));
  return result;
}

Deno.test("typing notices are throttled to one per repeat interval", async () => {
  using clock = new ManualClock();
  const { parts, socket, creator } = await joinerOnline();
  await using _ = parts;
  parts.signals.setTyping(true);
  parts.signals.setTyping(true);
  parts.signals.setTyping(true);
  clock.advance(2999);
  parts.signals.setTyping(true);
  await parts.settle();
  assert.equal(socket.sends().length, 1);
  clock.advance(1);
  parts.signals.setTyping(true);
  parts.signals.setTyping(false);
  // Stopped already: nothing more to say.
  parts.signals.setTyping(false);
  await parts.settle();
  const notices = await opened(socket, creator);
  assert.deepEqual(notices.map((p) => p.type === "typing" && p.active), [true, true, false]);
});

Deno.test("after a message is sent, the next keystroke announces typing at once", async () => {
  using _clock = new ManualClock();
  const { parts, socket } = await joinerOnline();
  await using _ = parts;
  parts.signals.setTyping(true);
  parts.signals.sent();
  parts.signals.setTyping(true);
  await parts.settle();
  assert.equal(socket.sends().length, 2);
});

Deno.test("with typing notices off none go out and the peer's are not shown", async () => {
  const { parts, socket } = await joinerOnline({ typingIndicator: false });
  await using _ = parts;
  parts.signals.setTyping(true);
  await parts.settle();
  assert.deepEqual(socket.sends(), []);
  parts.signals.onPeerTyping(true);
  assert.equal(parts.signals.peerTyping, false);
});

Deno.test("the peer's typing notice fades by itself after six seconds", async () => {
  using clock = new ManualClock();
  const { parts } = await joinerOnline();
  await using _ = parts;
  parts.signals.onPeerTyping(true);
  assert.equal(parts.signals.peerTyping, true);
  clock.advance(3000);
  // A repeated notice starts the wait over.
  parts.signals.onPeerTyping(true);
  clock.advance(5999);
  assert.equal(parts.signals.peerTyping, true);
  const changes = parts.changes;
  clock.advance(1);
  assert.equal(parts.signals.peerTyping, false);
  assert.equal(parts.changes, changes + 1);
  assert.equal(clock.pending, 0);
});

Deno.test("the peer's notice that it stopped typing hides it at once", async () => {
  using clock = new ManualClock();
  const { parts } = await joinerOnline();
  await using _ = parts;
  parts.signals.onPeerTyping(true);
  parts.signals.onPeerTyping(false);
  assert.equal(parts.signals.peerTyping, false);
  assert.equal(clock.pending, 0);
});

Deno.test("setTimer() refuses a value outside the choices and changes nothing", async () => {
  const { parts, socket } = await joinerOnline();
  await using _ = parts;
  await assert.rejects(() => parts.signals.setTimer(42), RangeError);
  await assert.rejects(() => parts.signals.setTimer(-300), /Invalid timer -300: expected one of/);
  assert.equal(parts.state.conversation.timer, 0);
  assert.deepEqual(parts.state.messages, []);
  assert.deepEqual(socket.sends(), []);
});

Deno.test("setTimer() saves the timer and sends a timer notice that does not itself expire", async () => {
  const { parts, socket, creator } = await joinerOnline();
  await using _ = parts;
  await parts.signals.setTimer(3600);
  const { conversation } = parts.state;
  assert.equal(conversation.timer, 3600);
  const [notice] = parts.state.messages;
  assert.equal(conversation.timerId, notice.id);
  assert.deepEqual([notice.kind, notice.timer, notice.expiresIn], ["timer", 3600, 0]);
  const stored = await parts.side.storage.getConversation(conversation.id);
  assert.equal(stored?.timer, 3600);
  const [payload] = await opened(socket, creator);
  assert.ok(payload.type === "timer");
  assert.equal(payload.seconds, 3600);
  assert.equal(payload.id, notice.id);
});

Deno.test("markRead() marks received messages read and sends a read receipt only when read receipts are on", async () => {
  const { parts, socket, creator } = await joinerOnline({ readReceipts: false });
  await using _ = parts;
  const side = parts.side;
  const [a, b, c, d] = [0, 1, 2, 3].map(() => parts.state.ulid());
  await parts.state.insert(message(side, a));
  await parts.state.insert(message(side, b));
  await parts.state.insert(message(side, c, { kind: "file", status: "receiving" }));
  await parts.state.append(message(side, d, { direction: "out", status: "delivered" }));
  parts.signals.markRead();
  await parts.settle();
  assert.deepEqual(parts.state.messages.map((m) => m.status), [
    "read",
    "read",
    "receiving",
    "delivered",
  ]);
  assert.equal((await parts.stored(a))?.status, "read");
  assert.deepEqual(socket.sends(), []);
  parts.preferences.readReceipts = true;
  const e = parts.state.ulid();
  await parts.state.insert(message(side, e));
  parts.signals.markRead();
  await parts.settle();
  assert.equal(parts.state.find(e)?.status, "read");
  const [payload] = await opened(socket, creator);
  assert.ok(payload.type === "read");
  assert.deepEqual(payload.ids, [e]);
  // Nothing unread: nothing more to say.
  parts.signals.markRead();
  await parts.settle();
  assert.equal(socket.sends().length, 1);
});

Deno.test("markRead() splits more than 100 read messages into several read receipts", async () => {
  const { parts, socket, creator } = await joinerOnline({ readReceipts: true });
  await using _ = parts;
  const ids = Array.from({ length: 120 }, () => parts.state.ulid());
  for (const id of ids) await parts.state.insert(message(parts.side, id));
  parts.signals.markRead();
  await parts.settle();
  const payloads = await opened(socket, creator);
  assert.deepEqual(payloads.map((p) => p.type === "read" && p.ids.length), [100, 20]);
  assert.deepEqual(payloads.flatMap((p) => p.type === "read" ? p.ids : []), ids);
});

Deno.test("markRead() and typing change nothing and send nothing while sending is paused", async () => {
  const { parts, socket, creator } = await joinerOnline({ readReceipts: true });
  await using _ = parts;
  const id = parts.state.ulid();
  await parts.state.insert(message(parts.side, id));
  parts.state.report("message", "A message failed verification and was discarded");
  parts.signals.markRead();
  parts.signals.setTyping(true);
  await parts.settle();
  assert.equal(parts.state.find(id)?.status, "received", "still unread: its read receipt waits");
  assert.deepEqual(socket.sends(), []);
  parts.state.acknowledgeProblems();
  parts.signals.markRead();
  await parts.settle();
  const payloads = await opened(socket, creator);
  assert.deepEqual(payloads.map((p) => p.type === "read" && p.ids), [[id]]);
});
