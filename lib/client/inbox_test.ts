import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, waitFor } from "../../tests/fixtures/client_parts.ts";
import type { FakeSocket } from "../../tests/fixtures/fake_socket.ts";
import {
  makeStoredPair,
  openAs,
  sealAs,
  type StoredSide,
} from "../../tests/fixtures/stored_pair.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import type { Payload, TextPayload } from "../crypto/payload.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";

type MessageFrame = Extract<ServerFrame, { type: "message" }>;

function text(id: string, body: string, expiresIn = 0): TextPayload {
  return { v: 2, type: "text", id, text: body, sentAt: 1_700_000_000_000, expiresIn };
}

/** The creator's parts, online, with a session the joiner can seal for. */
async function creatorOnline(options: { readReceipts?: boolean } = {}) {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const preferences = { readReceipts: options.readReceipts ?? false };
  const parts = new ClientParts(creator, { preferences });
  const socket = await parts.online();
  const receive = (frame: MessageFrame) => parts.state.serial(() => parts.inbox.receive(frame));
  return { parts, socket, joiner, receive };
}

/** The receipt IDs sent so far, opened by `other`. */
async function receipts(socket: FakeSocket, other: StoredSide): Promise<string[][]> {
  const result = [];
  for (const frame of socket.sends()) {
    const payload: Payload = await openAs(other, frame.body);
    if (payload.type === "receipt") result.push(payload.ids);
  }
  return result;
}

function problems(parts: ClientParts): string[] {
  return parts.state.problems.map((p) => p.message);
}

Deno.test("a sealed text from the peer is stored, shown and acknowledged", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const id = parts.state.ulid();
  await receive(await sealAs(joiner, text(id, "Good morning")));
  const shown = parts.state.find(id);
  assert.equal(shown?.direction, "in");
  assert.equal(shown?.text, "Good morning");
  assert.equal(shown?.status, "received");
  const stored = await parts.stored(id);
  assert.equal(stored?.text, "Good morning");
  assert.ok(stored?.bodyHash);
  assert.deepEqual(await receipts(socket, joiner), [[id]]);
  assert.deepEqual(problems(parts), []);
});

Deno.test("an exact resend is acknowledged again and shown once", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const id = parts.state.ulid();
  const frame = await sealAs(joiner, text(id, "Good morning"));
  await receive(frame);
  await receive(frame);
  await waitFor(() => socket.sends().length === 2, "the second receipt");
  await parts.settle();
  assert.deepEqual(parts.state.messages.map((m) => m.id), [id]);
  assert.deepEqual(await receipts(socket, joiner), [[id], [id]]);
  assert.deepEqual(problems(parts), []);
});

Deno.test("another body under a known ID is a problem and changes nothing", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const id = parts.state.ulid();
  await receive(await sealAs(joiner, text(id, "Meet at the station")));
  const ratchet = parts.state.conversation.ratchet;
  await receive(await sealAs(joiner, text(id, "Meet at the harbour")));
  assert.deepEqual(problems(parts), [
    "A message arrived under another message's ID; rejected",
  ]);
  assert.equal((await parts.stored(id))?.text, "Meet at the station");
  assert.equal(parts.state.messages.length, 1);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
  assert.equal(socket.sends().length, 1);
});

Deno.test("a message of this browser's own, reflected back, is a problem and stores nothing", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const own = await parts.outbox.write({ kind: "text", text: "Mine" }, parts.state.ulid());
  const [sent] = socket.sends();
  await receive({ type: "message", id: own.id, from: joiner.participant.id, body: sent.body });
  assert.deepEqual(problems(parts), ["A message of yours was sent back to you; rejected"]);
  assert.deepEqual(parts.state.messages.map((m) => [m.id, m.direction]), [[own.id, "out"]]);
});

Deno.test("a message from someone who is not the peer is a problem and stores nothing", async () => {
  const { parts, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const ratchet = parts.state.conversation.ratchet;
  const frame = await sealAs(joiner, text(parts.state.ulid(), "Hello"));
  await receive({ ...frame, from: parts.state.ulid() });
  assert.deepEqual(problems(parts), [
    "A message came from someone who is not the other person",
  ]);
  assert.deepEqual(parts.state.messages, []);
  assert.deepEqual(await parts.side.storage.listMessages(parts.state.conversation.id), []);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
});

Deno.test("a message that fails to open leaves the ratchet state unchanged", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const id = parts.state.ulid();
  const frame = await sealAs(joiner, text(id, "Hello"));
  const bytes = decodeBase64Url(frame.body);
  bytes[bytes.length - 1] ^= 1;
  const ratchet = parts.state.conversation.ratchet;
  await receive({ ...frame, body: encodeBase64Url(bytes) });
  assert.deepEqual(problems(parts), ["A message failed verification and was discarded"]);
  assert.deepEqual(parts.state.messages, []);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
  const stored = await parts.side.storage.getConversation(parts.state.conversation.id);
  assert.deepEqual(stored?.ratchet, ratchet);
  assert.deepEqual(socket.sends(), []);
  // The intact message still opens: nothing of the forgery was kept.
  await receive(frame);
  assert.equal(parts.state.find(id)?.text, "Hello");
});

Deno.test("a payload under another ID than its frame's is a problem and stores nothing", async () => {
  const { parts, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const ratchet = parts.state.conversation.ratchet;
  const frame = await sealAs(joiner, text(parts.state.ulid(), "Hello"));
  await receive({ ...frame, id: parts.state.ulid() });
  assert.deepEqual(problems(parts), [
    "A message arrived under another message's ID; rejected",
  ]);
  assert.deepEqual(parts.state.messages, []);
  assert.deepEqual(parts.state.conversation.ratchet, ratchet);
});

Deno.test("a receipt from the peer marks the message delivered and is not stored", async () => {
  const { parts, joiner, socket, receive } = await creatorOnline();
  await using _ = parts;
  const own = await parts.outbox.write({ kind: "text", text: "Mine" }, parts.state.ulid());
  await openAs(joiner, socket.sends()[0].body);
  const receipt: Payload = {
    v: 2,
    type: "receipt",
    id: parts.state.ulid(),
    ids: [own.id],
    sentAt: Date.now(),
  };
  await receive(await sealAs(joiner, receipt));
  assert.equal((await parts.stored(own.id))?.status, "delivered");
  assert.deepEqual(parts.state.messages.map((m) => m.id), [own.id]);
});

Deno.test("a read receipt counts only while this person shares read receipts too", async () => {
  for (const readReceipts of [false, true]) {
    const { parts, joiner, socket, receive } = await creatorOnline({ readReceipts });
    await using _ = parts;
    const own = await parts.outbox.write({ kind: "text", text: "Mine" }, parts.state.ulid());
    await openAs(joiner, socket.sends()[0].body);
    await receive(
      await sealAs(joiner, {
        v: 2,
        type: "read",
        id: parts.state.ulid(),
        ids: [own.id],
        sentAt: Date.now(),
      }),
    );
    assert.equal((await parts.stored(own.id))?.status, readReceipts ? "read" : "sent");
  }
});

Deno.test("a typing notice shows the peer typing, stores nothing, and a message ends it", async () => {
  const { parts, joiner, receive } = await creatorOnline();
  await using _ = parts;
  await receive(
    await sealAs(joiner, { v: 2, type: "typing", id: parts.state.ulid(), active: true, sentAt: 1 }),
  );
  assert.equal(parts.signals.peerTyping, true);
  assert.deepEqual(parts.state.messages, []);
  await receive(await sealAs(joiner, text(parts.state.ulid(), "Done typing")));
  assert.equal(parts.signals.peerTyping, false);
});

Deno.test("a timer notice sets the timer, and the later change wins", async () => {
  const { parts, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const earlier = parts.state.ulid();
  const later = parts.state.ulid();
  await receive(await sealAs(joiner, { v: 2, type: "timer", id: later, seconds: 300, sentAt: 2 }));
  assert.equal(parts.state.conversation.timer, 300);
  assert.equal(parts.state.conversation.timerId, later);
  await receive(
    await sealAs(joiner, { v: 2, type: "timer", id: earlier, seconds: 3600, sentAt: 1 }),
  );
  assert.equal(parts.state.conversation.timer, 300);
  const stored = await parts.side.storage.getConversation(parts.state.conversation.id);
  assert.equal(stored?.timer, 300);
  assert.deepEqual(parts.state.messages.map((m) => [m.kind, m.timer]), [
    ["timer", 3600],
    ["timer", 300],
  ]);
});

Deno.test("a file above this browser's limit is kept as refused and answered with a sealed refusal, again on a resend", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  parts.preferences.maxFileBytes = 1000;
  const id = parts.state.ulid();
  const frame = await sealAs(joiner, {
    v: 2,
    type: "file",
    id,
    name: "big.bin",
    mime: "application/octet-stream",
    size: 2000,
    chunks: 1,
    sha256: encodeBase64Url(new Uint8Array(32)),
    sentAt: 1,
    expiresIn: 0,
  });
  await receive(frame);
  const stored = await parts.stored(id);
  assert.equal(stored?.status, "refused");
  assert.equal(stored?.refusal, "too_large");
  await receive(frame);
  await waitFor(() => socket.sends().length === 2, "the second refusal");
  await parts.settle();
  const sent: Payload[] = [];
  for (const f of socket.sends()) sent.push(await openAs(joiner, f.body));
  // No delivery receipt: the refusal is the answer, sent again for the resend.
  assert.deepEqual(
    sent.map((p) => p.type === "refusal" ? [p.type, p.file, p.reason] : [p.type]),
    [["refusal", id, "too_large"], ["refusal", id, "too_large"]],
  );
  assert.deepEqual(problems(parts), []);
});

Deno.test("a resend of a message that disappeared here is acknowledged, not shown again", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const id = parts.state.ulid();
  const frame = await sealAs(joiner, text(id, "Gone soon", 300));
  await receive(frame);
  const message = parts.state.find(id)!;
  await parts.state.update(message, { expiresAt: Date.now() - 1 });
  await parts.state.serial(() => parts.expiry.removeExpired());
  assert.deepEqual(parts.state.messages, []);
  await receive(frame);
  await waitFor(() => socket.sends().length === 2, "the second receipt");
  await parts.settle();
  assert.deepEqual(parts.state.messages, []);
  assert.deepEqual(await receipts(socket, joiner), [[id], [id]]);
  // Under the same ID, another body is still refused.
  await receive(await sealAs(joiner, text(id, "Something else")));
  assert.deepEqual(problems(parts), [
    "A message arrived under another message's ID; rejected",
  ]);
});
