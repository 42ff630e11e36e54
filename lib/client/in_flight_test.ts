import { encodeBase64Url } from "../crypto/encoding.ts";
import assert from "node:assert/strict";
import { ClientParts, waitFor } from "../../tests/fixtures/client_parts.ts";
import type { FakeSocket } from "../../tests/fixtures/fake_socket.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import {
  makeStoredPair,
  openAs,
  sealAs,
  type StoredPair,
  type StoredSide,
} from "../../tests/fixtures/stored_pair.ts";
import type { Payload } from "../crypto/payload.ts";
import { FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";
import {
  FIRST_PROBE_MS,
  type FlightCount,
  FlightMarks,
  inFlight,
  MAX_IN_FLIGHT,
  NO_FLIGHT,
  stillToSend,
} from "./in_flight.ts";
import type { StoredConversation } from "./storage.ts";

const FAST = { perSecond: 1_000_000, burst: 1_000_000 };

function typing(parts: ClientParts): Payload {
  return { v: 2, type: "typing", id: parts.state.ulid(), active: true, sentAt: Date.now() };
}

function read(parts: ClientParts, ids: string[]): Payload {
  return { v: 2, type: "read", id: parts.state.ulid(), ids, sentAt: Date.now() };
}

function chunk(parts: ClientParts): Payload {
  const id = parts.state.ulid();
  return { v: 2, type: "chunk", id, file: id, index: 0, data: "AAAA", sentAt: Date.now() };
}

/** The joiner's parts with a working session, online; `flight` as stored before it opened. */
async function joinerOnline(flight?: FlightCount): Promise<
  { pair: StoredPair; parts: ClientParts; socket: FakeSocket }
> {
  const pair = await makeStoredPair({ session: true });
  if (flight !== undefined) {
    pair.joiner.conversation = { ...pair.joiner.conversation, flight };
    await pair.joiner.storage.putConversation(pair.joiner.conversation);
  }
  const parts = new ClientParts(pair.joiner, { sendRate: FAST });
  const socket = await parts.online();
  return { pair, parts, socket };
}

/** Delivers the peer's receipt for `ids`, sealed by `peer`, and lets it run. */
async function receipt(parts: ClientParts, peer: StoredSide, ids: string[]): Promise<void> {
  const frame = await sealAs(peer, {
    v: 2,
    type: "receipt",
    id: parts.state.ulid(),
    ids,
    sentAt: Date.now(),
  });
  await parts.state.serial(() => parts.inbox.receive(frame));
}

Deno.test("the bound on frames in flight stops typing, reads and chunks, never receipts or messages, and a receipt lifts it", async () => {
  const { pair, parts, socket } = await joinerOnline();
  await using _ = parts;
  const sent: string[] = [];
  for (let i = 0; i < MAX_IN_FLIGHT; i++) {
    const payload = i % 2 === 0 ? typing(parts) : chunk(parts);
    assert.equal(await parts.courier.sendEphemeral(payload), true);
    sent.push(payload.id);
  }
  assert.deepEqual(parts.state.conversation.flight, { sealed: MAX_IN_FLIGHT, acknowledged: 0 });
  assert.equal(parts.courier.full, true);
  const ratchet = parts.state.conversation.ratchet;
  for (const payload of [typing(parts), chunk(parts), read(parts, [sent[0]])]) {
    assert.equal(await parts.courier.sendEphemeral(payload), false, payload.type);
  }
  // A receipt that only acknowledges again is held back too.
  assert.equal(
    await parts.courier.sendEphemeral({
      v: 2,
      type: "receipt",
      id: parts.state.ulid(),
      ids: [sent[0]],
      sentAt: Date.now(),
    }, { again: true }),
    false,
  );
  assert.deepEqual(parts.state.conversation.ratchet, ratchet, "nothing held was sealed");
  // A receipt for something new and a written message still go out.
  assert.equal(
    await parts.courier.sendEphemeral({
      v: 2,
      type: "receipt",
      id: parts.state.ulid(),
      ids: [sent[0]],
      sentAt: Date.now(),
    }),
    true,
  );
  const written = await parts.outbox.write(
    { kind: "text", text: "still goes" },
    parts.state.ulid(),
  );
  await parts.settle();
  assert.ok(socket.sends().some((frame) => frame.id === written.id));
  assert.equal(socket.sends().length, MAX_IN_FLIGHT + 2);

  // The peer's receipt for the first frame counts for where that frame was
  // sealed: one frame's room, no more.
  // The written message waits for its own receipt, from where it was sealed.
  await receipt(parts, pair.creator, [sent[0]]);
  assert.deepEqual(parts.state.conversation.flight, {
    sealed: MAX_IN_FLIGHT,
    acknowledged: 1,
    kept: { [written.id]: MAX_IN_FLIGHT },
  });
  assert.equal(await parts.courier.sendEphemeral(typing(parts)), true);
  assert.equal(await parts.courier.sendEphemeral(typing(parts)), false);
  // The same receipt again (the relay held a copy back) lifts nothing more.
  await receipt(parts, pair.creator, [sent[0]]);
  assert.equal(await parts.courier.sendEphemeral(typing(parts)), false);
  // A receipt for the written message, sealed after every frame but the
  // last typing notice, lifts the bound.
  await receipt(parts, pair.creator, [written.id]);
  assert.deepEqual(parts.state.conversation.flight, {
    sealed: MAX_IN_FLIGHT + 1,
    acknowledged: MAX_IN_FLIGHT,
  });
  assert.equal(parts.courier.full, false);
  assert.equal(await parts.courier.sendEphemeral(typing(parts)), true);
  // The stored count moved with the ratchet.
  const stored = await pair.joiner.storage.getConversation(pair.joiner.conversation.id);
  assert.deepEqual(stored?.flight, parts.state.conversation.flight);
  assert.deepEqual(stored?.ratchet, parts.state.conversation.ratchet);
});

Deno.test("the count of frames in flight survives a reload, and a held side probes at growing intervals", async () => {
  using clock = new ManualClock();
  // As stored by an earlier page: the bound is reached.
  const { parts, socket } = await joinerOnline({ sealed: MAX_IN_FLIGHT, acknowledged: 0 });
  await using _ = parts;
  assert.equal(parts.courier.full, true);
  assert.equal(await parts.courier.sendEphemeral(typing(parts)), false);
  clock.advance(FIRST_PROBE_MS);
  assert.equal(await parts.courier.sendEphemeral(typing(parts)), true, "the first probe");
  assert.equal(await parts.courier.sendEphemeral(typing(parts)), false);
  clock.advance(FIRST_PROBE_MS);
  assert.equal(await parts.courier.sendEphemeral(chunk(parts)), false, "the wait doubled");
  clock.advance(FIRST_PROBE_MS);
  assert.equal(await parts.courier.sendEphemeral(chunk(parts)), true, "the second probe");
  clock.advance(FIRST_PROBE_MS * 3);
  assert.equal(await parts.courier.sendEphemeral(chunk(parts)), false);
  assert.equal(socket.sends().length, 2);
  assert.deepEqual(parts.state.conversation.flight, { sealed: MAX_IN_FLIGHT + 2, acknowledged: 0 });
});

Deno.test("a file transfer held by the bound on frames in flight goes on when a receipt arrives", async () => {
  // Two frames of room left, and a file of five chunks.
  const { pair, parts, socket } = await joinerOnline({
    sealed: MAX_IN_FLIGHT - 2,
    acknowledged: 0,
  });
  await using _ = parts;
  const bytes = new Uint8Array(FILE_CHUNK_BYTES * 4 + 10).fill(7);
  const file = new Blob([bytes]);
  const { id, info } = await parts.files.prepare(file, { name: "five.bin", maxBytes: 1 << 20 });
  assert.equal(info.chunks, 5);
  await parts.outbox.write({ kind: "file", text: "", file: info }, id);
  const chunkFrames = () => socket.sends().filter((frame) => frame.id !== id);
  await waitFor(() => chunkFrames().length === 2, "two chunks");
  // Held: nothing more goes out while the peer says nothing.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(chunkFrames().length, 2);
  assert.equal(parts.files.progress[id], 2);
  // The peer acknowledges the second chunk: the transfer goes on to the end.
  await receipt(parts, pair.creator, [chunkFrames()[1].id]);
  await waitFor(() => chunkFrames().length === 5, "every chunk", 3000);
  const indices = [];
  for (const frame of chunkFrames()) {
    const payload = await openAs(pair.creator, frame.body);
    assert.equal(payload.type, "chunk");
    if (payload.type === "chunk") indices.push(payload.index);
  }
  assert.deepEqual(indices, [0, 1, 2, 3, 4]);
});

Deno.test("the receiver acknowledges typing, read and chunk frames within a second, batched; chunks only of a file it knows", async () => {
  const { pair, parts, socket } = await joinerOnline();
  await using _ = parts;
  const creator = pair.creator;
  const file = parts.state.ulid();
  const announcement: Payload = {
    v: 2,
    type: "file",
    id: file,
    name: "a.bin",
    mime: "application/octet-stream",
    size: 10,
    chunks: 1,
    sha256: encodeBase64Url(new Uint8Array(32)),
    sentAt: 1,
    expiresIn: 0,
  };
  await parts.state.serial(async () => parts.inbox.receive(await sealAs(creator, announcement)));
  // A chunk of a file not known here: its announcement was lost, or a
  // relay dropped it. Not acknowledged, so it holds its sender's bound.
  const stray: Payload = {
    v: 2,
    type: "chunk",
    id: parts.state.ulid(),
    file: parts.state.ulid(),
    index: 0,
    data: "",
    sentAt: 1,
  };
  await parts.state.serial(async () => parts.inbox.receive(await sealAs(creator, stray)));
  const payloads: Payload[] = [
    { v: 2, type: "typing", id: parts.state.ulid(), active: true, sentAt: 1 },
    { v: 2, type: "read", id: parts.state.ulid(), ids: [parts.state.ulid()], sentAt: 1 },
    { v: 2, type: "chunk", id: parts.state.ulid(), file, index: 0, data: "", sentAt: 1 },
  ];
  for (const payload of payloads) {
    const frame = await sealAs(creator, payload);
    await parts.state.serial(() => parts.inbox.receive(frame));
  }
  assert.deepEqual(parts.state.problems, []);
  await waitFor(() => socket.sends().length > 0, "the batched receipt", 3000);
  const receipt = await openAs(creator, socket.sends()[0].body);
  assert.equal(receipt.type, "receipt");
  if (receipt.type === "receipt") assert.deepEqual(receipt.ids, payloads.map((p) => p.id));
});

Deno.test("a repeated receipt for a resent message is dropped while the bound on frames in flight holds", async () => {
  const { pair, parts, socket } = await joinerOnline({ sealed: MAX_IN_FLIGHT, acknowledged: 0 });
  await using _ = parts;
  const text: Payload = {
    v: 2,
    type: "text",
    id: parts.state.ulid(),
    text: "hi",
    sentAt: 1,
    expiresIn: 0,
  };
  const frame = await sealAs(pair.creator, text);
  await parts.state.serial(() => parts.inbox.receive(frame));
  await waitFor(() => socket.sends().length === 1, "the receipt for the new message");
  // The relay replays it: a receipt again would say nothing new.
  await parts.state.serial(() => parts.inbox.receive(frame));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await parts.settle();
  assert.equal(socket.sends().length, 1);
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("a kept message not yet acknowledged holds the bound from where it was sealed, until it is acknowledged or gone here", () => {
  const here = new Set(["text-1"]);
  const marks = new FlightMarks((id) => here.has(id));
  const text = { v: 2, type: "text", id: "text-1", text: "hi", sentAt: 0 } as Payload;
  let conversation = { flight: NO_FLIGHT } as StoredConversation;
  conversation = { ...conversation, flight: marks.sealed(conversation, text) };
  assert.deepEqual(conversation.flight, { sealed: 0, acknowledged: 0, kept: { "text-1": 0 } });
  // Every typing frame is acknowledged at once; the text never is.
  for (let i = 0; i < MAX_IN_FLIGHT; i++) {
    const id = `typing-${i}`;
    const payload = { v: 2, type: "typing", id, active: true, sentAt: 0 } as Payload;
    conversation = { ...conversation, flight: marks.sealed(conversation, payload) };
    conversation = marks.acknowledge(conversation, [id]);
  }
  assert.equal(conversation.flight!.acknowledged, MAX_IN_FLIGHT);
  assert.equal(marks.count(conversation), MAX_IN_FLIGHT, "counted from the text");
  assert.equal(marks.allows(conversation, false), false);
  assert.equal(inFlight(conversation, () => true), MAX_IN_FLIGHT);
  // Its receipt lifts the bound, and the stored count forgets it.
  const acknowledged = marks.acknowledge(conversation, ["text-1"]);
  assert.deepEqual(acknowledged.flight, { sealed: MAX_IN_FLIGHT, acknowledged: MAX_IN_FLIGHT });
  assert.equal(marks.allows(acknowledged, false), true);
  // A text that expired or was deleted here is never sent again: it holds nothing.
  here.delete("text-1");
  assert.equal(marks.count(conversation), 0);
  assert.equal(marks.allows(conversation, false), true);
});

Deno.test("a file's announcement holds the bound until it or one of its chunks is acknowledged, or it is refused or cancelled", () => {
  const here = new Map<string, string>([["file-1", "sent"], ["file-2", "sent"]]);
  const marks = new FlightMarks((id) => here.get(id) === "sent");
  let conversation = { flight: NO_FLIGHT } as StoredConversation;
  const seal = (payload: Payload) => {
    conversation = { ...conversation, flight: marks.sealed(conversation, payload) };
  };
  const announce = (id: string) =>
    seal({ v: 2, type: "file", id, sentAt: 0 } as unknown as Payload);
  const typingAcknowledged = (n: number) => {
    for (let i = 0; i < n; i++) {
      const id = crypto.randomUUID();
      seal({ v: 2, type: "typing", id, active: true, sentAt: 0 } as Payload);
      conversation = marks.acknowledge(conversation, [id]);
    }
  };
  announce("file-1");
  assert.deepEqual(conversation.flight!.kept, { "file-1": 0 });
  // A relay that drops the announcement and passes the typing frames.
  typingAcknowledged(MAX_IN_FLIGHT);
  assert.equal(marks.count(conversation), MAX_IN_FLIGHT, "counted from the announcement");
  assert.equal(marks.allows(conversation, false), false);
  // The peer acknowledges a chunk only of a file it knows: the announcement arrived.
  const chunk = {
    v: 2,
    type: "chunk",
    id: "chunk-1",
    file: "file-1",
    index: 0,
    data: "",
    sentAt: 0,
  };
  seal(chunk as Payload);
  conversation = marks.acknowledge(conversation, ["chunk-1"]);
  assert.equal(conversation.flight!.kept, undefined);
  assert.equal(marks.count(conversation), 0);
  // A file refused there, or cancelled, is never sent again: it holds nothing.
  announce("file-2");
  typingAcknowledged(MAX_IN_FLIGHT);
  assert.equal(marks.count(conversation), MAX_IN_FLIGHT);
  here.set("file-2", "refused");
  assert.equal(marks.count(conversation), 0);
});

Deno.test("a file deleted here, cancelled or refused there no longer holds the bound: its chunks never go again", async () => {
  const { parts, socket } = await joinerOnline();
  await using _ = parts;
  const bytes = new Uint8Array(FILE_CHUNK_BYTES * 3).fill(7);
  const { id, info } = await parts.files.prepare(new Blob([bytes]), {
    name: "big.bin",
    maxBytes: 1 << 30,
  });
  await parts.outbox.write({ kind: "file", text: "", file: info }, id);
  await waitFor(() => socket.sends().some((f) => f.id === id), "the announcement sent");
  await parts.settle();
  const { sealed, kept } = parts.state.conversation.flight!;
  assert.equal(typeof kept?.[id], "number", "the announcement is kept");
  // The peer acknowledged everything after it but never it, nor a chunk of it.
  const at = sealed + MAX_IN_FLIGHT;
  await parts.state.save({
    ...parts.state.conversation,
    flight: { sealed: at, acknowledged: at, kept: { [id]: kept![id] } },
  });
  assert.equal(parts.courier.full, true, "held while the file may still be sent");
  await parts.actions.deleteForMe(id);
  assert.equal(parts.courier.full, false, "deleted here: never whole, so it holds nothing");

  const file = parts.state.find(id)!;
  const info2 = { ...info, received: 0 };
  assert.equal(stillToSend({ ...file, file: info2, deleted: undefined }), true);
  assert.equal(stillToSend({ ...file, file: { ...info2, cancelled: "me" } }), false);
  assert.equal(stillToSend({ ...file, file: info2, status: "refused" }), false);
  assert.equal(stillToSend(undefined), false);
  assert.equal(stillToSend({ ...file, kind: "text", file: null }), true);
});
