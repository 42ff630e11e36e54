/**
 * A tab that closes part way through taking a received message: once the
 * page opens again and the sender (never acknowledged) sends the same frame
 * again, what the message does must not be lost with the crash.
 */
import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, type ClientPartsOptions } from "../../tests/fixtures/client_parts.ts";
import type { FakeSocket } from "../../tests/fixtures/fake_socket.ts";
import {
  makeStoredPair,
  openAs,
  sealAs,
  type StoredSide,
} from "../../tests/fixtures/stored_pair.ts";
import type { Payload } from "../crypto/payload.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import { loadStored } from "./client_open.ts";
import { canSeal } from "./channel_state.ts";

type MessageFrame = Extract<ServerFrame, { type: "message" }>;
const SENT_AT = 1_700_000_000_000;
const CLOSED = /The tab closed/;

function text(id: string, body: string): Payload {
  return { v: 2, type: "text", id, text: body, sentAt: SENT_AT, expiresIn: 0 };
}

/** Every write after message `id` is stored fails, as when the tab closes there; returns the undo. */
function closeAfterStoring(side: StoredSide, id: string): () => void {
  const { storage } = side;
  const { putMessage, putConversation, deleteMessage } = storage;
  let closed = false;
  const refuse = () => Promise.reject(new Error("The tab closed"));
  storage.putMessage = async (message) => {
    if (closed) return await refuse();
    await putMessage.call(storage, message);
    if (message.id === id) closed = true;
  };
  storage.putConversation = (...args) => closed ? refuse() : putConversation.apply(storage, args);
  storage.deleteMessage = (...args) => closed ? refuse() : deleteMessage.apply(storage, args);
  return () => Object.assign(storage, { putMessage, putConversation, deleteMessage });
}

/** The page opens again over what was stored, online. */
async function reopen(side: StoredSide, options: ClientPartsOptions = {}) {
  const stored = await loadStored(side.conversation.id, side.storage);
  const parts = new ClientParts({ ...side, conversation: stored.conversation }, {
    ...options,
    messages: stored.messages,
  });
  const socket = await parts.online();
  const receive = (frame: MessageFrame) => parts.state.serial(() => parts.inbox.receive(frame));
  return { parts, socket, receive };
}

/** Takes `frame` in a tab that closes once message `id` is stored. */
async function crashOn(parts: ClientParts, frame: MessageFrame, id: string): Promise<void> {
  const undo = closeAfterStoring(parts.side, id);
  await assert.rejects(parts.state.serial(() => parts.inbox.receive(frame)), CLOSED);
  parts.stop();
  undo();
}

async function sentTypes(socket: FakeSocket, other: StoredSide): Promise<string[]> {
  const types = [];
  for (const frame of socket.sends()) types.push((await openAs(other, frame.body)).type);
  return types;
}

Deno.test("a tab closed after storing the handshake's first message, before saving its session, sets the session up from the resend", async () => {
  const { creator, joiner } = await makeStoredPair();
  const first = new ClientParts(creator);
  await first.online();
  const id = first.state.ulid();
  const hello = await sealAs(joiner, { v: 2, type: "hello", id, sentAt: SENT_AT });
  await crashOn(first, hello, id);
  assert.equal(canSeal((await creator.storage.getConversation(creator.conversation.id))!), false);

  const { parts, socket, receive } = await reopen(creator);
  await using _ = parts;
  assert.deepEqual(parts.state.messages.map((m) => m.id), [id]);
  const text = await parts.outbox.write({ kind: "text", text: "Welcome" }, parts.state.ulid());
  assert.equal(socket.sends().length, 0, "no session to seal the text under yet");
  await receive(hello);
  await parts.settle();
  assert.deepEqual(parts.state.problems, []);
  assert.equal(
    canSeal((await parts.side.storage.getConversation(parts.state.conversation.id))!),
    true,
  );
  assert.deepEqual(parts.state.messages.map((m) => m.id), [id, text.id]);
  // The hello is acknowledged, and the text goes, sealed under the joiner's session.
  assert.deepEqual(await sentTypes(socket, joiner), ["receipt", "text"]);
});

Deno.test("a delete for both whose row was stored when the tab closed deletes its message when it comes again", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const first = new ClientParts(creator);
  await first.online();
  const theirs = first.state.ulid();
  await first.state.serial(async () =>
    first.inbox.receive(await sealAs(joiner, text(theirs, "oops")))
  );
  const id = first.state.ulid();
  const del = await sealAs(joiner, { v: 2, type: "delete", id, target: theirs, sentAt: SENT_AT });
  await crashOn(first, del, id);

  const { parts, receive } = await reopen(creator);
  await using _ = parts;
  await receive(del);
  await parts.settle();
  assert.equal(parts.state.find(theirs)?.deleted, "both", "deleted by its writer");
  assert.equal((await parts.stored(theirs))?.text, "");
});

Deno.test("a message stored when the tab closed, before the delete that came first applied, is deleted when it comes again", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const first = new ClientParts(creator);
  await first.online();
  const theirs = first.state.ulid();
  // The relay holds the message back and passes the delete that followed it.
  const held = await sealAs(joiner, text(theirs, "sent to the wrong person"));
  const del = await sealAs(joiner, {
    v: 2,
    type: "delete",
    id: first.state.ulid(),
    target: theirs,
    sentAt: SENT_AT,
  });
  await first.state.serial(() => first.inbox.receive(del));
  await crashOn(first, held, theirs);

  const { parts, receive } = await reopen(creator);
  await using _ = parts;
  await receive(held);
  await parts.settle();
  assert.equal(parts.state.find(theirs)?.deleted, "both", "never shown in full");
  assert.equal((await parts.stored(theirs))?.text, "");
});

Deno.test("a timer notice stored when the tab closed sets the timer when it comes again", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const first = new ClientParts(creator);
  await first.online();
  const id = first.state.ulid();
  const timer = await sealAs(joiner, { v: 2, type: "timer", id, seconds: 3600, sentAt: SENT_AT });
  await crashOn(first, timer, id);

  const { parts, receive } = await reopen(creator);
  await using _ = parts;
  await receive(timer);
  await parts.settle();
  assert.equal(parts.state.find(id)?.timer, 3600, "the notice says an hour");
  assert.equal(parts.state.conversation.timer, 3600, "and the timer is an hour");
});

Deno.test("a timer notice, the handshake's first message, stored when the tab closed sets the session and the timer up", async () => {
  const { creator, joiner } = await makeStoredPair();
  const first = new ClientParts(creator);
  await first.online();
  const id = first.state.ulid();
  // The relay holds the hello back: the timer notice is the first to arrive.
  const timer = await sealAs(joiner, { v: 2, type: "timer", id, seconds: 3600, sentAt: SENT_AT });
  await crashOn(first, timer, id);

  const { parts, receive } = await reopen(creator);
  await using _ = parts;
  await receive(timer);
  await parts.settle();
  assert.equal(canSeal(parts.state.conversation), true);
  assert.equal(parts.state.conversation.timer, 3600);
});

Deno.test("a file too large, the handshake's first message, stored when the tab closed is refused again, never acknowledged", async () => {
  const { creator, joiner } = await makeStoredPair();
  const preferences = { maxFileBytes: 1000 };
  const first = new ClientParts(creator, { preferences });
  await first.online();
  const id = first.state.ulid();
  const file = await sealAs(joiner, {
    v: 2,
    type: "file",
    id,
    name: "big.bin",
    mime: "application/octet-stream",
    size: 100_000,
    chunks: 3,
    sha256: "A".repeat(43),
    sentAt: SENT_AT,
    expiresIn: 0,
  });
  await crashOn(first, file, id);
  assert.equal((await first.stored(id))?.status, "refused");

  const { parts, socket, receive } = await reopen(creator, { preferences });
  await using _ = parts;
  await receive(file);
  await parts.settle();
  assert.equal(parts.state.find(id)?.status, "refused");
  // A receipt would show its sender the file delivered, and its chunks would follow.
  assert.deepEqual(await sentTypes(socket, joiner), ["refusal"]);
});

Deno.test("the other person's end is saved with the ratchet it moved: a tab closed right after shows the conversation deleted by them", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const parts = new ClientParts(creator);
  await parts.online();
  const end = await sealAs(joiner, { v: 2, type: "end", id: parts.state.ulid(), sentAt: SENT_AT });
  // The tab closes once the conversation is first saved.
  const { storage } = creator;
  const { putConversation } = storage;
  let closed = false;
  storage.putConversation = async (...args) => {
    if (closed) throw new Error("The tab closed");
    await putConversation.apply(storage, args);
    closed = true;
  };
  await parts.state.serial(() => parts.inbox.receive(end)).catch(() => {});
  parts.stop();
  storage.putConversation = putConversation;
  assert.equal(closed, true);
  const stored = await loadStored(creator.conversation.id, storage);
  assert.equal(stored.conversation.closed, "deleted");
  await parts[Symbol.asyncDispose]();
});
