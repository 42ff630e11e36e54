import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, waitFor } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import type { Payload } from "../crypto/payload.ts";
import { FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";
import { describeRefusal } from "./file_refusal.ts";
import { isBounded } from "./in_flight.ts";

/** The joiner sends a file of `chunks` chunks, paced so the test can step in between. */
async function sendingFile(chunks: number) {
  const { joiner, creator } = await makeStoredPair({ session: true });
  const parts = new ClientParts(joiner, { sendRate: { perSecond: 20, burst: 2 } });
  const socket = await parts.online();
  const bytes = new Uint8Array(FILE_CHUNK_BYTES * chunks);
  const { id, info } = await parts.files.prepare(new Blob([bytes]), {
    name: "holiday.mov",
    maxBytes: 100 * 1024 * 1024,
  });
  await parts.outbox.write({ kind: "file", text: "", file: info }, id);
  const receive = (frame: Awaited<ReturnType<typeof sealAs>>) =>
    parts.state.serial(() => parts.inbox.receive(frame));
  return { parts, socket, creator, id, receive };
}

Deno.test("a sealed refusal marks the sender's file not accepted, stops its chunks and its resends", async () => {
  const { parts, socket, creator, id, receive } = await sendingFile(40);
  await using _ = parts;
  await waitFor(() => parts.files.progress[id] !== undefined, "the first chunks");
  await receive(
    await sealAs(creator, {
      v: 2,
      type: "refusal",
      id: parts.state.ulid(),
      file: id,
      reason: "too_large",
      sentAt: 1,
    }),
  );
  await waitFor(() => parts.files.progress[id] === undefined, "the chunks to stop");
  await parts.settle();
  const stored = await parts.stored(id);
  assert.equal(stored?.status, "refused");
  assert.equal(stored?.refusal, "too_large");
  assert.equal(
    describeRefusal(stored!),
    "Not accepted by the other person: the file is larger than the limit they set",
  );
  const sentBefore = socket.sends().length;
  assert.ok(sentBefore < 40, `${sentBefore} frames went out`);
  // A late delivery receipt does not turn it "Delivered", and nothing is resent.
  const payloads: Payload[] = [];
  for (const frame of socket.sends()) payloads.push(await openAs(creator, frame.body));
  await receive(
    await sealAs(creator, {
      v: 2,
      type: "receipt",
      id: parts.state.ulid(),
      ids: [id],
      sentAt: 2,
    }),
  );
  parts.outbox.resendAll();
  await parts.state.serial(() => parts.outbox.flush());
  await parts.settle();
  assert.equal((await parts.stored(id))?.status, "refused");
  assert.ok(
    socket.sends().slice(sentBefore).every((f) => f.id !== id),
    "the refused file was not announced again",
  );
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("a refusal naming a text, an incoming message or an unknown ID changes nothing", async () => {
  const { parts, creator, receive } = await sendingFile(1);
  await using _ = parts;
  const text = await parts.outbox.write({ kind: "text", text: "hello" }, parts.state.ulid());
  const incoming = parts.state.ulid();
  await receive(
    await sealAs(creator, {
      v: 2,
      type: "text",
      id: incoming,
      text: "hi",
      sentAt: 1,
      expiresIn: 0,
    }),
  );
  for (const target of [text.id, incoming, parts.state.ulid()]) {
    await receive(
      await sealAs(creator, {
        v: 2,
        type: "refusal",
        id: parts.state.ulid(),
        file: target,
        reason: "declined",
        sentAt: 1,
      }),
    );
  }
  await parts.settle();
  assert.notEqual(parts.state.find(text.id)?.status, "refused");
  assert.equal(parts.state.find(incoming)?.status, "received");
  assert.ok(parts.state.messages.every((m) => m.refusal === undefined));
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("describeRefusal() words each reason for the sender and the receiver", () => {
  const base = {
    conversationId: "c",
    id: "i",
    kind: "file" as const,
    text: "",
    sentAt: 0,
    status: "refused" as const,
    envelope: null,
    expiresIn: 0,
    expiresAt: null,
    file: null,
    timer: null,
  };
  assert.equal(
    describeRefusal({ ...base, direction: "out", refusal: "no_space" }),
    "Not accepted by the other person: their browser has no room left for it",
  );
  assert.equal(
    describeRefusal({ ...base, direction: "out", refusal: "declined" }),
    "Not accepted by the other person: declined",
  );
  assert.equal(
    describeRefusal({ ...base, direction: "in" }),
    "Not accepted: larger than the file limit set in Settings.",
  );
});

Deno.test("a refusal said again for a replayed announcement counts against the bound on frames in flight", () => {
  const refusal = {
    v: 2,
    type: "refusal",
    id: "01JGZ5Q3V0K8N9P2R4S6T7W8XY",
    file: "01JGZ5Q3V0K8N9P2R4S6T7W8XZ",
    reason: "too_large",
    sentAt: 1,
  } as const;
  assert.equal(isBounded(refusal), false);
  assert.equal(isBounded(refusal, true), true);
});

Deno.test("a file this browser has no room for is refused as no_space, and the sender is told", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const receive = (frame: Awaited<ReturnType<typeof sealAs>>) =>
    parts.state.serial(() => parts.inbox.receive(frame));
  const id = parts.state.ulid();
  const bytes = new Uint8Array(100);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  await receive(
    await sealAs(joiner, {
      v: 2,
      type: "file",
      id,
      name: "photo.jpg",
      mime: "image/jpeg",
      size: 100,
      chunks: 1,
      sha256: encodeBase64Url(digest),
      sentAt: 1,
      expiresIn: 0,
    }),
  );
  assert.equal(parts.state.find(id)?.status, "receiving");
  parts.side.storage.putChunk = () =>
    Promise.reject(new DOMException("The quota has been exceeded.", "QuotaExceededError"));
  await receive(
    await sealAs(joiner, {
      v: 2,
      type: "chunk",
      id: parts.state.ulid(),
      file: id,
      index: 0,
      data: encodeBase64Url(bytes),
      sentAt: 2,
    }),
  );
  await parts.settle();
  const stored = await parts.stored(id);
  assert.equal(stored?.status, "refused");
  assert.equal(stored?.refusal, "no_space");
  assert.equal(describeRefusal(stored!), "Not accepted: this browser has no room left for it.");
  const sent: Payload[] = [];
  for (const frame of socket.sends()) sent.push(await openAs(joiner, frame.body));
  assert.ok(
    sent.some((p) => p.type === "refusal" && p.file === id && p.reason === "no_space"),
    "a refusal went out",
  );
  assert.deepEqual(parts.state.problems, []);
});
