/**
 * Files, typing notices, read receipts and disappearing messages, end to end
 * in Deno: real server, real sockets, the real client on both sides.
 */
import "../lib/i18n/use_english.ts";
import assert from "node:assert/strict";
import { FILE_CHUNK_BYTES } from "../lib/crypto/payload_limits.ts";
import { securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return bytes;
}

async function bytesOf(blob: Blob | undefined): Promise<Uint8Array> {
  assert.ok(blob !== undefined, "the file is stored");
  return new Uint8Array(await blob.arrayBuffer());
}

Deno.test("a file arrives byte for byte, with progress, and is acknowledged once whole", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  // Three batches of chunks: progress shows between them.
  const bytes = randomBytes(FILE_CHUNK_BYTES * 19 + 123);
  let progress = 0;
  const message = await adam.client!.sendFile(
    new Blob([bytes], { type: "image/png" }),
    "cat.png",
  );
  await waitFor(
    () => {
      progress = Math.max(progress, adam.client!.view.transfers[message.id] ?? 0);
      return eve.client!.view.messages.some((m) => m.id === message.id && m.status === "received");
    },
    "the whole file",
    10_000,
  );
  assert.ok(progress >= 1, "the sender saw chunks go out");
  const received = eve.client!.view.messages.find((m) => m.id === message.id)!;
  assert.deepEqual(
    { name: received.file!.name, mime: received.file!.mime, size: received.file!.size },
    { name: "cat.png", mime: "image/png", size: bytes.length },
  );
  assert.deepEqual(await bytesOf(await eve.client!.getFile(message.id)), bytes);
  await waitFor(
    () => adam.client!.view.messages.find((m) => m.id === message.id)?.status === "delivered",
    "delivered",
  );
});

Deno.test("a file for an offline peer waits in the sender and arrives when the peer returns", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  eve.stop();
  await waitFor(() => adam.client!.view.peer === "offline", "Eve offline");
  const bytes = randomBytes(FILE_CHUNK_BYTES + 1);
  const message = await adam.client!.sendFile(new Blob([bytes]), "notes.bin");
  assert.equal(adam.client!.view.messages.at(-1)!.status, "pending");
  adam.stop();
  await adam.start();
  await eve.start();
  await waitFor(
    () => eve.client!.view.messages.some((m) => m.id === message.id && m.status === "received"),
    "the file after reconnecting",
    10_000,
  );
  assert.deepEqual(await bytesOf(await eve.client!.getFile(message.id)), bytes);
  assert.equal(eve.client!.view.messages.filter((m) => m.id === message.id).length, 1);
});

Deno.test("a file above the size limit is refused with a reason, on either side", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base, { maxFileBytes: 1024 });
  const { adam, eve } = pair;
  await assert.rejects(
    () => adam.client!.sendFile(new Blob([new Uint8Array(2048)]), "big.bin"),
    /above the 1 kB limit/,
  );
  assert.equal(adam.client!.view.messages.length, 0);
  // A sender with a higher limit: the receiver refuses it and says so.
  adam.preferences.maxFileBytes = 1024 * 1024;
  await adam.client!.sendFile(new Blob([new Uint8Array(2048)]), "big.bin");
  await waitFor(
    () => eve.client!.view.messages.some((m) => m.status === "refused"),
    "the receiver's refusal",
  );
  // Answered with a sealed refusal, so the sender stops resending and shows why;
  // nothing of it is kept.
  await waitFor(() => adam.client!.view.messages[0].status === "refused", "the refusal");
  assert.equal(adam.client!.view.messages[0].refusal, "too_large");
  const refused = eve.client!.view.messages[0];
  assert.equal(await eve.client!.getFile(refused.id), undefined);
  assert.equal(await eve.storage.countChunks(eve.conversationId, refused.id), 0);
  assert.deepEqual(eve.client!.view.problems, []);
});

Deno.test("typing notices come and go, and are not sent when switched off", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  adam.client!.setTyping(true);
  await waitFor(() => eve.client!.view.peerTyping, "typing shown");
  adam.client!.setTyping(false);
  await waitFor(() => !eve.client!.view.peerTyping, "typing gone");
  adam.preferences.typingIndicator = false;
  adam.client!.setTyping(true);
  await adam.client!.send("no notice before this");
  await waitFor(() => eve.texts().length === 1, "the message");
  assert.equal(eve.client!.view.peerTyping, false);
});

Deno.test("read receipts are off by default, and shown when both allow them", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  await adam.client!.send("read me");
  await waitFor(() => eve.texts().length === 1, "the message");
  eve.client!.markRead();
  await waitFor(() => adam.client!.view.messages[0].status === "delivered", "delivered");
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(adam.client!.view.messages[0].status, "delivered", "no read receipt by default");
  assert.equal(eve.client!.view.messages[0].status, "read", "read locally all the same");

  adam.preferences.readReceipts = true;
  eve.preferences.readReceipts = true;
  await adam.client!.send("and me");
  await waitFor(() => eve.texts().length === 2, "the second message");
  eve.client!.markRead();
  await waitFor(() => adam.client!.view.messages[1].status === "read", "read");
});

Deno.test("a disappearing-message timer is agreed in-band and removes messages on both sides", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  await adam.client!.setTimer(300);
  await waitFor(() => eve.client!.view.timer === 300, "Eve adopts the timer");
  assert.equal(eve.client!.view.messages.at(-1)!.kind, "timer");
  await adam.client!.send("gone in five minutes");
  await waitFor(() => eve.texts().includes("gone in five minutes"), "the message");
  const sent = adam.client!.view.messages.find((m) => m.kind === "text")!;
  const got = eve.client!.view.messages.find((m) => m.kind === "text")!;
  assert.equal(sent.expiresIn, 300);
  assert.ok(got.expiresAt! > Date.now() + 290_000);
  // Wind the clocks: expire both copies now, as five minutes would.
  for (const peer of [adam, eve]) {
    const stored = (await peer.storage.listMessages(peer.conversationId)).find((m) =>
      m.kind === "text"
    )!;
    await peer.storage.putMessage({ ...stored, expiresAt: Date.now() - 1 });
    peer.stop();
    await peer.start();
  }
  await waitFor(
    () => adam.texts().length === 0 && eve.texts().length === 0,
    "the message gone from both",
  );
  for (const peer of [adam, eve]) {
    const left = await peer.storage.listMessages(peer.conversationId);
    assert.ok(left.every((m) => m.kind !== "text"), "removed from storage too");
  }
  // The later change wins on both sides.
  await eve.client!.setTimer(0);
  await waitFor(() => adam.client!.view.timer === 0, "Adam adopts Eve's change");
});

Deno.test("a resend of a message that already disappeared is acknowledged, not an alarm", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  await adam.client!.setTimer(300);
  await waitFor(() => eve.client!.view.timer === 300, "the timer");
  await adam.client!.send("short-lived");
  await waitFor(() => eve.texts().length === 1, "the message");
  // It disappears at Eve's, and Adam never heard it arrived.
  const got = (await eve.storage.listMessages(eve.conversationId)).find((m) => m.kind === "text")!;
  await eve.storage.putMessage({ ...got, expiresAt: Date.now() - 1 });
  eve.stop();
  const sent = (await adam.storage.listMessages(adam.conversationId)).find((m) =>
    m.kind === "text"
  )!;
  await adam.storage.putMessage({ ...sent, status: "sent", expiresAt: null });
  adam.stop();
  await eve.start();
  await waitFor(() => eve.texts().length === 0, "gone at Eve's");
  await adam.start();
  await waitFor(
    () => adam.client!.view.messages.find((m) => m.kind === "text")?.status === "delivered",
    "acknowledged again",
  );
  assert.deepEqual(eve.texts(), []);
  assert.deepEqual(eve.client!.view.problems, []);
});
