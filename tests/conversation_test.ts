/**
 * The whole product path in Deno: real server on 127.0.0.1, real sockets,
 * the real client and protocol on both sides.
 */
import assert from "node:assert/strict";
import {
  ConversationClient,
  OutdatedConversationError,
} from "../lib/client/conversation_client.ts";
import { PROTOCOL_VERSION, type StoredConversation } from "../lib/client/storage.ts";
import { Peer, type PeerPair } from "./fixtures/peer.ts";
import { snapshotDir, startTestServer, waitFor } from "./fixtures/server.ts";

async function connectedPair(base: string, lifetime?: number): Promise<PeerPair> {
  using peers = new DisposableStack();
  const adam = peers.use(new Peer(base));
  const eve = peers.use(new Peer(base));
  const invite = await adam.create(lifetime);
  await eve.join(adam.conversationId, invite);
  await adam.start();
  await eve.start();
  await waitFor(
    () => adam.client?.view.peer === "online" && eve.client?.view.peer === "online",
    "both peers online",
  );
  const owned = peers.move();
  return { adam, eve, [Symbol.dispose]: () => owned.dispose() };
}

Deno.test("two people exchange messages both ways, acknowledged as delivered", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  await adam.client!.send("hello Eve");
  await waitFor(() => eve.texts().includes("hello Eve"), "Eve receives");
  await waitFor(
    () => adam.client!.view.messages[0].status === "delivered",
    "Adam sees delivered",
  );
  await eve.client!.send("hello Adam");
  await waitFor(() => adam.texts().includes("hello Adam"), "Adam receives");
  assert.deepEqual(adam.texts(), ["hello Eve", "hello Adam"]);
  assert.deepEqual(eve.texts(), ["hello Eve", "hello Adam"]);
  assert.equal(eve.client!.view.messages[0].direction, "in");
  assert.deepEqual(adam.client!.view.problems, []);
  assert.deepEqual(eve.client!.view.problems, []);
});

Deno.test("presence follows the peer's socket", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  eve.stop();
  await waitFor(() => adam.client!.view.peer === "offline", "Eve offline");
  await eve.start();
  await waitFor(() => adam.client!.view.peer === "online", "Eve back online");
});

Deno.test("messages to an offline peer wait in the sender and arrive once, after reloads", async () => {
  await using server = await startTestServer();
  using adam = new Peer(server.base);
  using eve = new Peer(server.base);
  const invite = await adam.create();
  await adam.start();
  // Written before Eve has even joined: no session yet, so it waits.
  await adam.client!.send("before you came");
  await eve.join(adam.conversationId, invite);
  await waitFor(() => adam.client!.view.peer === "offline", "Adam learns of Eve");
  await adam.client!.send("while you were away");
  assert.deepEqual(adam.client!.view.messages.map((m) => m.status), ["pending", "pending"]);

  // Adam reloads while his messages are pending.
  adam.stop();
  await adam.start();
  await eve.start();
  await waitFor(() => eve.texts().length === 2, "Eve receives both");
  assert.deepEqual(eve.texts(), ["before you came", "while you were away"]);
  await waitFor(
    () => adam.client!.view.messages.every((m) => m.status === "delivered"),
    "both delivered",
  );

  // Reloading both shows the same history, each message once.
  adam.stop();
  eve.stop();
  await adam.start();
  await eve.start();
  await waitFor(() => adam.client!.view.peer === "online", "reconnected");
  assert.deepEqual(eve.texts(), ["before you came", "while you were away"]);
  assert.deepEqual(adam.texts(), ["before you came", "while you were away"]);
});

Deno.test("a resent message is shown once and acknowledged again", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  await adam.client!.send("only once");
  await waitFor(() => eve.texts().length === 1, "Eve receives");
  // Make Adam forget the delivery, as if the ack had been lost.
  const [stored] = await adam.storage.listMessages(adam.conversationId);
  await adam.storage.putMessage({ ...stored, status: "sent" });
  adam.stop();
  await adam.start();
  await waitFor(
    () => adam.client!.view.messages[0]?.status === "delivered",
    "delivered after the resend",
  );
  assert.deepEqual(eve.texts(), ["only once"]);
  assert.deepEqual(eve.client!.view.problems, []);
});

Deno.test("deleting burns the conversation on the server and in both browsers' view", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  await adam.client!.send("burn after reading");
  await waitFor(() => eve.texts().length === 1, "Eve receives");
  const result = await adam.client!.deleteConversation();
  assert.equal(result.server, true);
  await waitFor(() => eve.client!.view.closed === "deleted", "Eve sees it deleted");
  assert.deepEqual(await snapshotDir(server.dataDir), {});
  assert.equal(await adam.storage.getConversation(adam.conversationId), undefined);
  assert.deepEqual(await adam.storage.listMessages(adam.conversationId), []);
  const response = await fetch(`${server.base}/api/conversations/${adam.conversationId}`);
  assert.equal(response.status, 404);
  await response.body?.cancel();
});

Deno.test("an expired conversation is removed and its sockets are closed", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base, 2);
  const { adam, eve } = pair;
  await waitFor(
    () => adam.client!.view.closed === "expired" && eve.client!.view.closed === "expired",
    "both see it expired",
  );
  assert.deepEqual(await snapshotDir(server.dataDir), {});
  const response = await fetch(`${server.base}/api/conversations/${adam.conversationId}`);
  assert.equal(response.status, 404);
  await response.body?.cancel();
});

Deno.test("the server's data directory and log never hold a message or a secret", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  const marker = `marker-${crypto.randomUUID()}`;
  await adam.client!.send(marker);
  await waitFor(() => eve.texts().includes(marker), "Eve receives");
  const files = JSON.stringify(await snapshotDir(server.dataDir));
  // The one line allowed an address is the server's own "listening" line.
  const logs = server.logs.filter((line) => !line.includes('"listening"')).join("\n");
  const secret = adam.inviteSecret;
  for (const haystack of [files, logs]) {
    assert.ok(!haystack.includes(marker), "no message text");
    assert.ok(!haystack.includes(secret), "no invite secret");
    assert.ok(!haystack.includes("127.0.0.1"), "no address");
  }
  assert.ok(!logs.includes(adam.conversationId), "only shortened conversation IDs");
});

Deno.test("both sides compute the same safety number, and a verified mark persists", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  await waitFor(() => eve.client!.conversation.peer !== null, "Eve pins Adam");
  await waitFor(() => adam.client!.conversation.peer !== null, "Adam pins Eve");
  const adamNumber = await adam.client!.safetyNumber();
  const eveNumber = await eve.client!.safetyNumber();
  assert.match(adamNumber!, /^\d{60}$/);
  assert.equal(adamNumber, eveNumber);
  await adam.client!.setVerified(true);
  adam.stop();
  await adam.start();
  assert.equal(adam.client!.view.verified, adamNumber);
  await adam.client!.setVerified(false);
  assert.equal(adam.client!.view.verified, null);
});

Deno.test("a crash after the ratchet advanced but before the envelope was saved loses nothing", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  await waitFor(() => adam.client!.view.secure && eve.client!.view.secure, "a session");
  // The first save of an envelope fails, as if the tab died right there.
  const storage = adam.storage;
  const putMessage = storage.putMessage.bind(storage);
  let failed = false;
  storage.putMessage = (message) => {
    if (!failed && message.envelope !== null) {
      failed = true;
      return Promise.reject(new Error("the tab was closed"));
    }
    return putMessage(message);
  };
  await adam.client!.send("survives a crash").catch(() => {});
  await waitFor(() => failed, "the failed save");
  assert.deepEqual(eve.texts(), [], "nothing left before the envelope was saved");
  // Reload: the message is sealed again with the next key, never the same one.
  adam.stop();
  await adam.start();
  await waitFor(() => eve.texts().includes("survives a crash"), "delivery after the crash");
  assert.deepEqual(eve.texts(), ["survives a crash"]);
  assert.deepEqual(eve.client!.view.problems, []);
});

Deno.test("the creator's messages wait until the joiner's first message completes the handshake", async () => {
  await using server = await startTestServer();
  using adam = new Peer(server.base);
  using eve = new Peer(server.base);
  const invite = await adam.create();
  await eve.join(adam.conversationId, invite);
  await adam.start();
  await adam.client!.send("early");
  await waitFor(() => adam.client!.view.peer === "offline", "Adam sees Eve joined");
  assert.equal(adam.client!.view.secure, false);
  assert.equal(adam.client!.conversation.prekeys !== null, true, "prekeys kept until then");
  await eve.start();
  await waitFor(() => eve.texts().includes("early"), "the early message");
  assert.equal(adam.client!.view.secure, true);
  assert.equal(adam.client!.conversation.prekeys, null, "prekey private halves deleted");
});

Deno.test("both ML-KEM implementations interoperate in a whole conversation", async () => {
  await using server = await startTestServer();
  using adam = new Peer(server.base, "noble");
  using eve = new Peer(server.base, "webcrypto");
  const invite = await adam.create();
  await eve.join(adam.conversationId, invite);
  await adam.start();
  await eve.start();
  await adam.client!.send("post-quantum, either way");
  await waitFor(() => eve.texts().length === 1, "the message");
  await eve.client!.send("back");
  await waitFor(() => adam.texts().includes("back"), "the answer");
  assert.equal(adam.client!.view.kemBackend, "noble");
  assert.equal(eve.client!.view.kemBackend, "webcrypto");
});

Deno.test("a long outbox drains below the relay's rate limit without being cut off", async () => {
  // The relay allows 5 frames a second (50 at once); the clients pace at 4.
  await using server = await startTestServer({ SEND_PER_SECOND: "5" });
  using adam = new Peer(server.base);
  using eve = new Peer(server.base);
  for (const peer of [adam, eve]) peer.sendRate = { perSecond: 4, burst: 10 };
  const invite = await adam.create();
  await eve.join(adam.conversationId, invite);
  await adam.start();
  const texts = Array.from({ length: 60 }, (_, i) => `message ${i}`);
  for (const text of texts) await adam.client!.send(text);
  await eve.start();
  await waitFor(() => eve.texts().length === texts.length, "every message", 30_000);
  assert.deepEqual(eve.texts(), texts);
  await waitFor(
    () => adam.client!.view.messages.every((m) => m.status === "delivered"),
    "every receipt",
    10_000,
  );
  assert.ok(!server.logs.some((line) => line.includes("rate_limited")), "never over the limit");
  assert.deepEqual(adam.client!.view.problems, []);
});

Deno.test("a conversation stored by an older version opens as outdated, never half-working", async () => {
  await using server = await startTestServer();
  using adam = new Peer(server.base);
  await adam.create();
  // What an older version kept: no protocol field, a send counter, a replay window.
  const current = await adam.storage.getConversation(adam.conversationId);
  const { protocol: _, ...older } = {
    ...current!,
    sendCounter: 3,
    replay: { next: 0, missing: [] },
  };
  await adam.storage.putConversation(older as unknown as StoredConversation);
  await assert.rejects(
    () => adam.start(),
    (error: Error) =>
      error instanceof OutdatedConversationError && /older version/.test(error.message),
  );
});

Deno.test("a conversation stored with the previous protocol number (2, before message salts) opens as outdated", async () => {
  await using server = await startTestServer();
  using adam = new Peer(server.base);
  await adam.create();
  const current = await adam.storage.getConversation(adam.conversationId);
  assert.equal(current!.protocol, PROTOCOL_VERSION);
  assert.equal(PROTOCOL_VERSION, 3);
  // What the previous version kept: the same fields, protocol 2.
  const previous = { ...current!, protocol: 2 };
  await adam.storage.putConversation(previous as unknown as StoredConversation);
  await assert.rejects(
    () => adam.start(),
    (error: Error) =>
      error instanceof OutdatedConversationError && /older version/.test(error.message),
  );
  assert.equal(adam.client, null);
});

Deno.test("when a second tab takes a conversation over, the first can no longer seal", async () => {
  await using server = await startTestServer();
  using pair = await connectedPair(server.base);
  const { adam, eve } = pair;
  await waitFor(() => adam.client!.view.secure && eve.client!.view.secure, "a session");
  const first = adam.client!;
  // A second tab on the same storage: it claims the record.
  const second = await ConversationClient.open(adam.conversationId, {
    baseUrl: server.base,
    storage: adam.storage,
  });
  second.start();
  await first.send("from the old tab").catch(() => {});
  await waitFor(() => first.view.problems.length > 0, "the old tab stops");
  assert.match(first.view.problems[0].message, /another tab has taken it over/);
  await waitFor(() => second.view.peer === "online", "the new tab connects");
  await second.send("from the new tab");
  await waitFor(() => eve.texts().includes("from the new tab"), "the new tab's message");
  assert.ok(!eve.texts().includes("from the old tab"), "the old tab sealed nothing");
  assert.deepEqual(eve.client!.view.problems, []);
  second.stop();
});
