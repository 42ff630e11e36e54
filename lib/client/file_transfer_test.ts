import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, message, waitFor } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs } from "../../tests/fixtures/stored_pair.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import type { ChunkPayload } from "../crypto/payload.ts";
import { FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";
import { describeFile, type FileInfo } from "./file_info.ts";

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return bytes;
}

function chunk(file: string, index: number, data: Uint8Array): ChunkPayload {
  return {
    v: 2,
    type: "chunk",
    id: "01J0000000000000000000000Z",
    file,
    index,
    data: encodeBase64Url(data),
    sentAt: 1,
  };
}

/** The creator's parts, online, expecting a file of `bytes` announced as `info`. */
async function receiving(bytes: Uint8Array<ArrayBuffer>, info?: FileInfo) {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const parts = new ClientParts(creator);
  const socket = await parts.online();
  info ??= await describeFile(new Blob([bytes]), "photo.png", 1024 * 1024);
  const id = parts.state.ulid();
  await parts.state.insert(
    message(creator, id, { kind: "file", text: "", status: "receiving", file: info }),
  );
  return { parts, socket, joiner, id, info };
}

/** Stores and counts a chunk, as the inbox does. */
async function deliver(parts: ClientParts, payload: ChunkPayload): Promise<boolean> {
  return await parts.state.serial(async () => {
    const kept = await parts.files.store(payload);
    if (kept) await parts.files.count(payload.file);
    return kept;
  });
}

Deno.test("store() refuses a chunk for an unknown file, at a wrong index or of a wrong size", async () => {
  const bytes = randomBytes(FILE_CHUNK_BYTES + 10);
  const { parts, id } = await receiving(bytes);
  await using _ = parts;
  const first = bytes.subarray(0, FILE_CHUNK_BYTES);
  const last = bytes.subarray(FILE_CHUNK_BYTES);
  assert.equal(await parts.files.store(chunk(parts.state.ulid(), 0, first)), false);
  assert.equal(await parts.files.store(chunk(id, 2, last)), false);
  assert.equal(await parts.files.store(chunk(id, 2, randomBytes(0))), false);
  assert.equal(await parts.files.store(chunk(id, 0, last)), false);
  assert.equal(await parts.files.store(chunk(id, 1, randomBytes(11))), false);
  assert.equal(await parts.files.store(chunk(id, 1, randomBytes(0))), false);
  const conversationId = parts.state.conversation.id;
  assert.equal(await parts.side.storage.countChunks(conversationId, id), 0);
  assert.equal(await parts.files.store(chunk(id, 1, last)), true);
  // The same chunk again is kept already: counted once.
  assert.equal(await parts.files.store(chunk(id, 1, last)), true);
  assert.equal(await parts.side.storage.countChunks(conversationId, id), 1);
});

Deno.test("store() refuses chunks for an outgoing, refused or complete file", async () => {
  const bytes = randomBytes(100);
  const { parts, id } = await receiving(bytes);
  await using _ = parts;
  const message = parts.state.find(id)!;
  const variants = [
    { direction: "out" as const },
    { status: "refused" as const },
    { status: "received" as const },
  ];
  for (const changes of variants) {
    await parts.state.update(message, { direction: "in", status: "receiving", ...changes });
    assert.equal(await parts.files.store(chunk(id, 0, bytes)), false);
  }
  assert.equal(await parts.side.storage.countChunks(parts.state.conversation.id, id), 0);
});

Deno.test("when every chunk has arrived the file is assembled, kept, marked received and acknowledged", async () => {
  const bytes = randomBytes(FILE_CHUNK_BYTES * 2 + 10);
  const { parts, socket, joiner, id } = await receiving(bytes);
  await using _ = parts;
  // Chunks may come in any order.
  for (const index of [2, 0, 1]) {
    const data = bytes.subarray(index * FILE_CHUNK_BYTES, (index + 1) * FILE_CHUNK_BYTES);
    assert.ok(await deliver(parts, chunk(id, index, data)));
    if (index !== 1) assert.equal(parts.state.find(id)?.status, "receiving");
  }
  const stored = await parts.stored(id);
  assert.equal(stored?.status, "received");
  assert.equal(stored?.file?.received, 3);
  const file = await parts.files.getFile(id);
  assert.deepEqual(new Uint8Array(await file!.arrayBuffer()), bytes);
  assert.equal(file?.type, "application/octet-stream");
  assert.equal(await parts.side.storage.countChunks(parts.state.conversation.id, id), 0);
  await waitFor(() => socket.sends().length === 1, "the file's receipt");
  await parts.settle();
  const receipt = await openAs(joiner, socket.sends()[0].body);
  assert.ok(receipt.type === "receipt");
  assert.deepEqual(receipt.ids, [id]);
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("a file whose hash does not match is discarded and reported", async () => {
  const bytes = randomBytes(FILE_CHUNK_BYTES + 10);
  const announced = await describeFile(new Blob([bytes]), "photo.png", 1024 * 1024);
  const info = { ...announced, sha256: encodeBase64Url(new Uint8Array(32)) };
  const { parts, socket, id } = await receiving(bytes, info);
  await using _ = parts;
  await deliver(parts, chunk(id, 0, bytes.subarray(0, FILE_CHUNK_BYTES)));
  await deliver(parts, chunk(id, 1, bytes.subarray(FILE_CHUNK_BYTES)));
  assert.deepEqual(parts.state.problems.map((p) => [p.kind, p.message]), [
    ["message", 'The file "photo.png" failed its integrity check; it was discarded'],
  ]);
  const stored = await parts.stored(id);
  assert.equal(stored?.status, "receiving");
  assert.equal(stored?.file?.received, 0);
  assert.equal(await parts.files.getFile(id), undefined);
  assert.equal(await parts.side.storage.countChunks(parts.state.conversation.id, id), 0);
  assert.deepEqual(socket.sends(), []);
});

Deno.test("prepare() keeps the file's bytes and refuses one above the limit", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const bytes = randomBytes(500);
  const { id, info } = await parts.files.prepare(new Blob([bytes], { type: "image/png" }), {
    name: "photo.png",
    maxBytes: 1000,
  });
  assert.equal(info.mime, "image/png");
  assert.equal(info.chunks, 1);
  const kept = await parts.files.getFile(id);
  assert.deepEqual(new Uint8Array(await kept!.arrayBuffer()), bytes);
  await assert.rejects(
    () => parts.files.prepare(new Blob([bytes]), { name: "photo.png", maxBytes: 499 }),
    RangeError,
  );
});

/** The joiner's parts, online, with a prepared file to send (its announcement delivered). */
async function sending(size: number) {
  const { joiner, creator } = await makeStoredPair({ session: true });
  const parts = new ClientParts(joiner);
  const socket = await parts.online();
  const bytes = randomBytes(size);
  const { id, info } = await parts.files.prepare(new Blob([bytes]), {
    name: "notes.bin",
    maxBytes: 1024 * 1024,
  });
  await parts.state.append(
    message(joiner, id, {
      direction: "out",
      kind: "file",
      text: "",
      status: "delivered",
      file: info,
    }),
  );
  return { parts, socket, creator, bytes, id };
}

Deno.test("sendChunks() sends every chunk of a prepared file, in order, a batch at a time", async () => {
  const { parts, socket, creator, bytes, id } = await sending(FILE_CHUNK_BYTES * 2 + 1);
  await using _ = parts;
  const progress: number[] = [];
  socket.onSend = () => progress.push(parts.files.progress[id]);
  assert.equal(await parts.files.sendChunks(id, parts.connection.socketNumber), true);
  const chunks = [];
  for (const frame of socket.sends()) chunks.push(await openAs(creator, frame.body));
  assert.deepEqual(chunks.map((c) => c.type === "chunk" && [c.file, c.index]), [
    [id, 0],
    [id, 1],
    [id, 2],
  ]);
  const data = chunks.flatMap((c) => c.type === "chunk" ? [...decodeBase64Url(c.data)] : []);
  assert.deepEqual(new Uint8Array(data), bytes);
  // One batch: sealed together, saved once, then sent.
  assert.deepEqual(progress, [0, 0, 0]);
  assert.deepEqual(parts.files.progress, {});
});

Deno.test("sendChunks() stops and reports false when the socket changes", async () => {
  const { parts, socket, id } = await sending(FILE_CHUNK_BYTES * 12);
  await using _ = parts;
  socket.onSend = () => {
    socket.onSend = null;
    // After the first batch the connection is lost and a new socket is ready at once.
    queueMicrotask(() => {
      socket.drop();
      parts.connection.start();
      parts.sockets.last.open();
      parts.sockets.last.deliver({ type: "ready", peers: [{ id: parts.peerId, online: true }] });
    });
  };
  assert.equal(await parts.files.sendChunks(id, parts.connection.socketNumber), false);
  assert.equal(parts.connection.socketNumber, 2);
  assert.ok(parts.connection.peerReady);
  assert.equal(socket.sends().length, 8, "the first batch of eight only");
  assert.deepEqual(parts.sockets.last.sends(), []);
  assert.deepEqual(parts.files.progress, {});
});

Deno.test("sendChunks() stops while sending is paused", async () => {
  const { parts, socket, id } = await sending(FILE_CHUNK_BYTES * 12);
  await using _ = parts;
  socket.onSend = () => {
    socket.onSend = null;
    // During the first batch a warning pauses sending.
    parts.state.report("message", "A message failed verification and was discarded");
  };
  assert.equal(await parts.files.sendChunks(id, parts.connection.socketNumber), false);
  assert.equal(socket.sends().length, 8, "no batch after the pause");
  assert.deepEqual(parts.files.progress, {});
});
