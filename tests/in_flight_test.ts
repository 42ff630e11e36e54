/**
 * The bound on frames in flight, over a real server and a hostile relay: a
 * relay that says the peer is online and drops everything cannot make a
 * browser seal more than the bound, so the session survives it.
 */
import assert from "node:assert/strict";
import { inFlight, MAX_IN_FLIGHT } from "../lib/client/in_flight.ts";
import { FILE_CHUNK_BYTES } from "../lib/crypto/payload.ts";
import { startHostileRelay } from "./fixtures/hostile_relay.ts";
import { securePair } from "./fixtures/peer.ts";
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
