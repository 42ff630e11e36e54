/**
 * The bound on frames in flight, over a real server and a hostile relay: a
 * relay that says the peer is online and drops everything cannot make a
 * browser seal more than the bound, so the session survives it.
 */
import assert from "node:assert/strict";
import { inFlight, MAX_IN_FLIGHT } from "../lib/client/in_flight.ts";
import { FILE_CHUNK_BYTES } from "../lib/crypto/payload_limits.ts";
import type { ConversationClient } from "../lib/client/conversation_client.ts";
import { type HostileRelay, startHostileRelay } from "./fixtures/hostile_relay.ts";
import { type PeerPair, securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

/** No pacing: the test wants the client to go as fast as it ever could. */
const FAST = { perSecond: 1_000_000, burst: 1_000_000 };
/** Probes a held side may send while the test runs (one at 1 s, 3 s, 7 s, …). */
const PROBES = 4;

Deno.test("in flight: a relay that fakes presence and drops everything gets at most the bound of sealed frames, and the conversation works once it behaves", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const { adam, eve, ids } = pair;
  eve.stop();
  adam.stop();
  adam.sendRate = FAST;

  // The relay tells Adam that Eve is online, and drops whatever he sends.
  const adamConnections = new Set<number>();
  const dropped = new Set<string>();
  relay.frameAttack = (ctx) => {
    const frame = ctx.frame;
    if (ctx.direction === "toServer") {
      if (frame.type === "auth" && frame.participantId === ids.adam) {
        adamConnections.add(ctx.connection);
      }
      if (frame.type === "send" && adamConnections.has(ctx.connection)) {
        dropped.add(frame.id as string);
        return [];
      }
      return;
    }
    if (!adamConnections.has(ctx.connection)) return;
    if (frame.type === "ready") return [{ ...frame, peers: [{ id: ids.eve, online: true }] }];
    if (frame.type === "presence" && frame.participantId === ids.eve) {
      return [{ ...frame, online: true }];
    }
  };
  const client = await adam.start();
  await waitFor(() => client.view.peer === "online", "Eve online, as the relay says");

  // Adam types (on, off, on, …) far past the bound, then sends a file and a text.
  const attempts = MAX_IN_FLIGHT * 2 + 500;
  for (let i = 0; i < attempts; i++) client.setTyping(i % 2 === 0);
  const bytes = new Uint8Array(FILE_CHUNK_BYTES * 2 + 5).map((_, i) => (i * 31) & 0xff);
  const file = await client.sendFile(new Blob([bytes]), "three-chunks.bin");
  const text = await client.send("written while the relay dropped everything");
  await waitFor(
    () => dropped.has(text.id) && dropped.has(file.id),
    "the text and the file announcement on the wire",
    20_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const sealed = client.conversation.flight?.sealed ?? 0;
  assert.ok(sealed >= MAX_IN_FLIGHT, `the bound was reached (${sealed})`);
  assert.ok(sealed <= MAX_IN_FLIGHT + PROBES, `at most the bound and a few probes (${sealed})`);
  // Every frame the relay swallowed: the bounded ones and the two messages.
  assert.ok(dropped.size <= MAX_IN_FLIGHT + PROBES + 2, `${dropped.size} frames on the wire`);
  assert.equal(client.view.transfers[file.id], 0, "the file's chunks are held");
  assert.deepEqual(client.view.problems, []);

  // The relay behaves again and Eve comes back: everything arrives, once.
  relay.frameAttack = null;
  await eve.start();
  await waitFor(
    () => eve.texts().includes("written while the relay dropped everything"),
    "the text at Eve",
    10_000,
  );
  await waitFor(
    () => eve.client!.view.messages.find((m) => m.id === file.id)?.status === "received",
    "the whole file at Eve, after the bound lifted",
    15_000,
  );
  const received = await eve.client!.getFile(file.id);
  assert.deepEqual(new Uint8Array(await received!.arrayBuffer()), bytes);
  await waitFor(
    () =>
      client.view.messages.every((m) =>
        m.direction !== "out" || m.status === "delivered" || m.status === "read"
      ),
    "receipts for both at Adam",
  );
  await eve.client!.send("and back");
  await waitFor(() => adam.texts().includes("and back"), "Eve's reply at Adam");
  assert.deepEqual(eve.texts(), ["written while the relay dropped everything", "and back"]);
  assert.deepEqual(eve.client!.view.problems, []);
  assert.deepEqual(client.view.problems, []);
  assert.ok(inFlight(client.conversation) < MAX_IN_FLIGHT, "the bound lifted");
});

/**
 * A relay that drops one message of Adam's (and every resend of it) and all
 * but one in 500 of his other frames after it: each one it passes is
 * acknowledged. Returns Adam, online, with the message he `sends`.
 */
async function dropOneAndMost(
  relay: HostileRelay,
  pair: PeerPair & { ids: { adam: string } },
  sends: (client: ConversationClient) => Promise<{ id: string }>,
) {
  const adamConnections = new Set<number>();
  let dropped: string | null = null;
  let others = 0;
  relay.frameAttack = (ctx) => {
    if (ctx.direction !== "toServer") return;
    const frame = ctx.frame;
    if (frame.type === "auth" && frame.participantId === pair.ids.adam) {
      adamConnections.add(ctx.connection);
    }
    if (frame.type !== "send" || !adamConnections.has(ctx.connection)) return;
    if (frame.id === dropped) return [];
    if (dropped !== null && ++others % 500 !== 0) return [];
  };
  pair.adam.stop();
  pair.adam.sendRate = FAST;
  const client = await pair.adam.start();
  await waitFor(() => client.view.peer === "online", "Eve online");
  const message = await sends(client);
  dropped = message.id;
  const status = () => client.view.messages.find((m) => m.id === message.id)?.status;
  await waitFor(() => status() === "sent", "the message on the wire");
  return { client, status };
}

/**
 * Adam types on and off, giving the receipts time to come, until three
 * times the bound went out or nothing more has for three seconds; asserts
 * that he was held at the bound.
 */
async function typeUntilHeld(client: ConversationClient): Promise<void> {
  const before = client.conversation.flight?.sealed ?? 0;
  const sealedSince = () => (client.conversation.flight?.sealed ?? 0) - before;
  const deadline = Date.now() + 20_000;
  let last = 0;
  let lastChange = Date.now();
  for (let i = 0; sealedSince() < 3 * MAX_IN_FLIGHT && Date.now() < deadline; i++) {
    client.setTyping(i % 2 === 0);
    if (i % 50 !== 49) continue;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (sealedSince() !== last) [last, lastChange] = [sealedSince(), Date.now()];
    else if (last >= MAX_IN_FLIGHT && Date.now() - lastChange > 3000) break;
  }
  const sealed = sealedSince();
  assert.ok(sealed >= MAX_IN_FLIGHT, `the bound was reached (${sealed})`);
  assert.ok(
    sealed <= MAX_IN_FLIGHT + PROBES,
    `held at the bound after the unacknowledged message, though frames were acknowledged (${sealed})`,
  );
}

Deno.test("in flight: a relay that drops a text and lets one frame in 500 through cannot make the peer lose the text's key; resent, it opens", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const words = "dropped, then resent once the relay behaves";
  const { client, status } = await dropOneAndMost(relay, pair, (c) => c.send(words));
  await typeUntilHeld(client);

  // The relay behaves again; Eve reconnects, and Adam sends the text again as it was.
  relay.frameAttack = null;
  pair.eve.stop();
  await pair.eve.start();
  await waitFor(() => pair.eve.texts().includes(words), "the resent text at Eve", 10_000);
  await waitFor(() => status() === "delivered", "its receipt at Adam");
  assert.ok(inFlight(client.conversation) < MAX_IN_FLIGHT, "the bound lifted");
  assert.deepEqual(pair.eve.client!.view.problems, []);
  assert.deepEqual(client.view.problems, []);
});

Deno.test("in flight: a relay that drops a file's announcement and lets one frame in 500 through cannot make the peer lose its key; resent, the file arrives", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const bytes = new Uint8Array(FILE_CHUNK_BYTES + 10).fill(7);
  const { client, status } = await dropOneAndMost(
    relay,
    pair,
    (c) => c.sendFile(new Blob([bytes]), "held.bin"),
  );
  await typeUntilHeld(client);

  relay.frameAttack = null;
  pair.eve.stop();
  await pair.eve.start();
  await waitFor(() => status() === "delivered", "the whole file acknowledged at Adam", 10_000);
  const atEve = pair.eve.client!.view.messages.find((m) => m.file?.name === "held.bin");
  assert.equal(atEve?.file?.received, atEve?.file?.chunks, "every chunk arrived");
  assert.ok(inFlight(client.conversation) < MAX_IN_FLIGHT, "the bound lifted");
  assert.deepEqual(pair.eve.client!.view.problems, []);
  assert.deepEqual(client.view.problems, []);
});
