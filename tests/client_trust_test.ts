/**
 * What the browser client keeps true against a relay that lies about the
 * end of a conversation, drops what it likes, or tries to make a paused
 * client keep talking; and what it deletes once no longer needed.
 */
import assert from "node:assert/strict";
import { ulid } from "ulid";
import { MemoryStorage } from "../lib/client/memory_storage.ts";
import type { StoredMessage } from "../lib/client/storage.ts";
import { decodeBase64Url, encodeBase64Url } from "../lib/crypto/encoding.ts";
import { type HostileRelay, startHostileRelay } from "./fixtures/hostile_relay.ts";
import { fetchConversation } from "../lib/client/admission_http.ts";
import { Peer, securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

/** The relay connection a participant authenticated on last. */
function connectionOf(relay: HostileRelay, participantId: string): number {
  const auth = relay.log.findLast((entry) =>
    entry.direction === "toServer" && entry.frame.type === "auth" &&
    entry.frame.participantId === participantId
  );
  if (auth === undefined) throw new Error(`No socket of "${participantId}" yet`);
  return auth.connection;
}

/** A `message` frame that can never open: random bytes in an envelope's place. */
function junkMessage(from: string): string {
  const body = encodeBase64Url(crypto.getRandomValues(new Uint8Array(300)));
  return JSON.stringify({ type: "message", id: ulid(), from, body });
}

Deno.test("a forged closed frame while the conversation goes on is not believed, and nothing sticks", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const { adam, eve } = pair;
  relay.broadcast(JSON.stringify({ type: "closed", reason: "deleted" }));
  relay.broadcast(
    JSON.stringify({ type: "error", code: "auth_failed", message: "Authentication failed" }),
  );
  await waitFor(() => (eve.client!.view.problems.length ?? 0) > 0, "the forged error shown");
  assert.equal(eve.client!.view.closed, null);
  assert.equal(adam.client!.view.closed, null);
  const stored = await eve.storage.getConversation(eve.conversationId);
  assert.equal(stored!.closed, null, "no end was saved");
  // The forged error is a warning the person can dismiss, not a lasting block.
  eve.client!.acknowledgeProblems();
  adam.client!.acknowledgeProblems();
  assert.equal(eve.client!.view.canSend, true);
  await eve.client!.send("still here");
  await waitFor(() => adam.texts().includes("still here"), "the conversation goes on");
  // A reload shows no end either.
  eve.stop();
  await eve.start();
  await waitFor(() => eve.client!.view.peer === "online", "Eve back");
  assert.equal(eve.client!.view.closed, null);
});

Deno.test("an extension whose extended frame the relay swallowed is taken from the record: past the old end the page goes on", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using adam = new Peer(relay.base);
  using eve = new Peer(relay.base);
  const invite = await adam.create(8);
  await eve.join(adam.conversationId, invite);
  await adam.start();
  await eve.start();
  await waitFor(() => adam.client!.view.secure && eve.client!.view.secure, "a secure session");
  const eveConnection = connectionOf(relay, eve.client!.conversation.participantId);
  relay.frameAttack = (ctx) =>
    ctx.direction === "toClient" && ctx.frame.type === "extended" &&
      ctx.connection === eveConnection
      ? []
      : undefined;
  const oldEnd = adam.client!.conversation.expiresAt;
  const newEnd = new Date(Date.parse(oldEnd) + 3600_000).toISOString();
  assert.equal(await adam.client!.requestExtension(newEnd), true);
  await waitFor(() => eve.client!.view.extension.proposed === newEnd, "Eve is asked");
  assert.equal(await eve.client!.acceptExtension(), true);
  await waitFor(() => adam.client!.conversation.expiresAt === newEnd, "Adam's end moves");
  assert.equal((await fetchConversation(server.base, adam.conversationId))!.expiresAt, newEnd);
  assert.equal(eve.client!.conversation.expiresAt, oldEnd, "Eve never heard of it");
  // Past the old end, Eve's page opens again.
  await new Promise((resolve) => setTimeout(resolve, Date.parse(oldEnd) - Date.now() + 300));
  eve.stop();
  await eve.start();
  await waitFor(() => eve.client!.conversation.expiresAt === newEnd, "the end from the record");
  await adam.client!.send("still here");
  await waitFor(
    () => eve.client!.view.messages.some((m) => m.text === "still here"),
    "Adam's message at Eve",
  );
  assert.equal(eve.client!.conversation.closed, null, "Eve's page goes on");
});

Deno.test("'the other person deleted it' is said only after their sealed notice", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  {
    using pair = await securePair(relay.base);
    const { adam, eve } = pair;
    assert.equal((await adam.client!.deleteConversation()).server, true);
    await waitFor(() => eve.client!.view.closed !== null, "Eve learns of the end");
    assert.equal(eve.client!.view.closed, "deleted");
  }
  // The relay drops the notice: the end is still confirmed, but not blamed on the peer.
  using pair = await securePair(relay.base);
  const { adam, eve } = pair;
  const eveId = pair.ids.eve;
  relay.frameAttack = (ctx) =>
    ctx.direction === "toClient" && ctx.frame.type === "message" && ctx.frame.from !== eveId
      ? []
      : undefined;
  assert.equal((await adam.client!.deleteConversation()).server, true);
  await waitFor(() => eve.client!.view.closed !== null, "Eve learns of the end");
  assert.equal(eve.client!.view.closed, "ended");
});

Deno.test("a timer change the peer never received still applies to its messages here: the stricter timer", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const { adam, eve, ids } = pair;
  // The relay drops everything Adam sends from now on.
  relay.frameAttack = (ctx) =>
    ctx.direction === "toClient" && ctx.frame.type === "message" && ctx.frame.from === ids.adam
      ? []
      : undefined;
  await adam.client!.setTimer(300);
  const notice = adam.client!.view.messages.at(-1)!;
  assert.equal(notice.kind, "timer");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(eve.client!.view.timer, 0, "Eve never heard of the timer");
  assert.notEqual(adam.client!.view.messages.at(-1)!.status, "delivered", "still pending");
  await eve.client!.send("kept forever on my side");
  await waitFor(() => adam.texts().includes("kept forever on my side"), "Adam receives");
  const received = adam.client!.view.messages.find((m) => m.text === "kept forever on my side")!;
  assert.equal(received.expiresIn, 300, "Adam's stricter timer applies to his copy");
  assert.ok(received.expiresAt !== null && received.expiresAt <= Date.now() + 300_000);
  const sent = eve.client!.view.messages.find((m) => m.text === "kept forever on my side")!;
  assert.equal(sent.expiresIn, 0, "Eve's own copy follows her timer");
});

Deno.test("an interrupted chunk write is found again from the chunk store when the conversation opens", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  // Eve's browser dies between keeping the chunk and storing the file as
  // whole (the count of chunks is only shown, never stored).
  const storage = eve.storage as MemoryStorage;
  const putMessage = storage.putMessage.bind(storage);
  let failed = false;
  storage.putMessage = (message: StoredMessage) => {
    if (
      !failed && message.kind === "file" && message.direction === "in" &&
      message.status === "received"
    ) {
      failed = true;
      return Promise.reject(new Error("The browser closed"));
    }
    return putMessage(message);
  };
  const bytes = crypto.getRandomValues(new Uint8Array(1000));
  const sent = await adam.client!.sendFile(new Blob([bytes]), "note.bin");
  await waitFor(() => failed, "the interrupted write");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const stuck = await eve.storage.getMessage(eve.conversationId, sent.id);
  assert.equal(stuck!.status, "receiving");
  assert.equal(stuck!.file!.received, 0, "the count was lost");
  assert.equal(await eve.storage.countChunks(eve.conversationId, sent.id), 1, "the chunk is kept");
  // A reload counts from the chunk store and completes the file.
  eve.stop();
  await eve.start();
  await waitFor(
    () => eve.client!.view.messages.find((m) => m.id === sent.id)?.status === "received",
    "the file completes",
  );
  const blob = await eve.client!.getFile(sent.id);
  assert.deepEqual(new Uint8Array(await blob!.arrayBuffer()), bytes);
  await waitFor(
    () => adam.client!.view.messages.find((m) => m.id === sent.id)?.status === "delivered",
    "Adam hears it arrived",
  );
});

Deno.test("the invite secret and the prekeys' private halves are deleted once the handshake completes", async () => {
  await using server = await startTestServer();
  using pair = await securePair(server.base);
  const { adam, eve } = pair;
  await waitFor(() => adam.client!.conversation.secret === null, "Adam forgets the secret");
  await waitFor(() => eve.client!.conversation.secret === null, "Eve forgets the secret");
  for (const peer of [adam, eve]) {
    const stored = (await peer.storage.getConversation(peer.conversationId))!;
    assert.equal(stored.secret, null);
    assert.equal(stored.prekeys, null);
    assert.equal(stored.handshake, null);
    assert.ok(!JSON.stringify(stored).includes(adam.inviteSecret), "no copy of the secret");
  }
  // Opening the invite link again still finds the kept conversation.
  const creator = (await adam.storage.getConversation(adam.conversationId))!;
  await eve.join(eve.conversationId, {
    secret: decodeBase64Url(adam.inviteSecret),
    fingerprint: decodeBase64Url(creator.inviteFingerprint!),
  });
  await adam.client!.send("still talking");
  await waitFor(() => eve.texts().includes("still talking"), "the session goes on");
});

Deno.test("typing, read and chunk frames pause with sending, while receipts still go out", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base, { readReceipts: true });
  const { adam, eve, ids } = pair;
  await eve.client!.send("read me");
  await waitFor(() => adam.texts().includes("read me"), "Adam receives");
  await waitFor(
    () => eve.client!.view.messages.at(-1)!.status === "delivered",
    "Adam's receipt arrives",
  );
  // The relay slips Adam a message that cannot open: his sending pauses.
  const adamConnection = connectionOf(relay, ids.adam);
  relay.frameAttack = (ctx) => {
    if (ctx.direction !== "toClient" || ctx.connection !== adamConnection) return;
    relay.frameAttack = null;
    ctx.toClient(junkMessage(ids.eve));
    return undefined;
  };
  await eve.client!.send("one more");
  await waitFor(() => adam.client!.view.problems.length > 0, "Adam's warning");
  const before = relay.log.length;
  adam.client!.setTyping(true);
  adam.client!.markRead();
  await new Promise((resolve) => setTimeout(resolve, 400));
  const sentByAdam = relay.log.slice(before).filter((entry) =>
    entry.direction === "toServer" && entry.frame.type === "send" && entry.frame.to === ids.eve
  );
  // At most the receipt for "one more": no typing notice, no read receipt.
  assert.ok(sentByAdam.length <= 1, `Adam sent ${sentByAdam.length} frames while paused`);
  assert.equal(eve.client!.view.peerTyping, false);
  assert.notEqual(eve.client!.view.messages.find((m) => m.text === "read me")!.status, "read");
  adam.client!.acknowledgeProblems();
  adam.client!.markRead();
  await waitFor(
    () => eve.client!.view.messages.find((m) => m.text === "read me")!.status === "read",
    "the read receipt goes out once the warning is read",
  );
});
