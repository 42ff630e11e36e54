/**
 * The server's limits: per-address buckets for creating, joining and
 * connecting, socket caps and the per-socket send rate (the idle timeout:
 * `liveness_test.ts`).
 * Each excess gets a 429 or close code 1008 with a clear error code, and other
 * clients and conversations carry on.
 */
import assert from "node:assert/strict";
import { admittedPair, Peer } from "./fixtures/peer.ts";
import {
  abortedUpgrade,
  answerChallenge,
  authenticatedSocket,
  expectClosedWith,
  RawSocket,
  upgradeStatus,
} from "./fixtures/raw_socket.ts";
import { createBody, joinBody, postJson } from "./fixtures/requests.ts";
import { snapshotDir, startTestServer, waitFor } from "./fixtures/server.ts";

/**
 * A request that asks for an upgrade but is no valid handshake: it meets the
 * socket limits, and a 400 `bad_upgrade` past them.
 */
const UPGRADE: RequestInit = { headers: { upgrade: "websocket" } };

Deno.test("creating past the per-address limit gets 429 rate_limited; other addresses still create", async () => {
  await using server = await startTestServer({ CREATE_PER_MINUTE: "3" });
  const url = `${server.base}/api/conversations`;
  for (let i = 0; i < 3; i++) {
    assert.equal((await postJson(url, (await createBody()).body)).status, 201);
  }
  const before = await snapshotDir(server.dataDir);
  const refused = await postJson(url, (await createBody()).body);
  assert.equal(refused.status, 429);
  assert.equal((refused.json.error as Record<string, unknown>).code, "rate_limited");
  assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
  assert.deepEqual(await snapshotDir(server.dataDir), before);

  // Another address on the loopback network has its own bucket.
  using client = Deno.createHttpClient({ localAddress: "127.0.0.2" });
  assert.equal((await postJson(url, (await createBody()).body, { client })).status, 201);
});

Deno.test("joining past the per-address limit gets 429 and admits no one", async () => {
  await using server = await startTestServer({ JOIN_PER_MINUTE: "2" });
  const { secret, body } = await createBody();
  const created = await postJson(`${server.base}/api/conversations`, body);
  const id = (created.json.conversation as Record<string, unknown>).id as string;
  const url = `${server.base}/api/conversations/${id}/participants`;
  // Two attempts with a forged bundle use up the bucket.
  for (let i = 0; i < 2; i++) {
    assert.equal((await postJson(url, await joinBody(new Uint8Array(32)))).status, 403);
  }
  const before = await snapshotDir(server.dataDir);
  const refused = await postJson(url, await joinBody(secret));
  assert.equal(refused.status, 429);
  assert.equal((refused.json.error as Record<string, unknown>).code, "rate_limited");
  assert.deepEqual(await snapshotDir(server.dataDir), before);
});

Deno.test("opening sockets past the per-address limit gets 429 before any upgrade", async () => {
  await using server = await startTestServer({ CONNECT_PER_MINUTE: "2" });
  const adam = new Peer(server.base);
  await adam.create();
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  await using _b = await authenticatedSocket(server.base, await adam.socketIdentity());
  const url = `${server.base}/api/conversations/${adam.conversationId}/socket`;
  const response = await fetch(url, UPGRADE);
  assert.equal(response.status, 429);
  assert.equal((await response.json()).error.code, "rate_limited");
  await assert.rejects(RawSocket.open(server.base, adam.conversationId));
  // The open sockets are unaffected.
  a.send({ type: "send", id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A", to: adam.conversationId, body: "AA" });
  assert.equal((await a.next()).code, "unknown_recipient");
});

Deno.test("a participant's sockets past MAX_SOCKETS_PER_PARTICIPANT are closed with 1008", async () => {
  await using server = await startTestServer({ MAX_SOCKETS_PER_PARTICIPANT: "2" });
  const adam = new Peer(server.base);
  await adam.create();
  const who = await adam.socketIdentity();
  await using first = await authenticatedSocket(server.base, who);
  await using _second = await authenticatedSocket(server.base, who);
  const third = await RawSocket.open(server.base, adam.conversationId);
  await answerChallenge(third, who);
  await expectClosedWith(third, "too_many_sockets");
  await waitFor(() => server.state.hub.socketCount === 2, "the refused socket to go");
  // Closing one frees a place.
  await first.close();
  await using _again = await authenticatedSocket(server.base, who);
});

Deno.test("sockets past MAX_SOCKETS get 429 server_full", async () => {
  await using server = await startTestServer({ MAX_SOCKETS: "2" });
  const adam = new Peer(server.base);
  await adam.create();
  await using _a = await RawSocket.open(server.base, adam.conversationId);
  await using _b = await RawSocket.open(server.base, adam.conversationId);
  const url = `${server.base}/api/conversations/${adam.conversationId}/socket`;
  const response = await fetch(url, UPGRADE);
  assert.equal(response.status, 429);
  assert.equal((await response.json()).error.code, "server_full");
});

Deno.test("one address holds at most MAX_SOCKETS_PER_ADDRESS sockets; other addresses still connect", async () => {
  await using server = await startTestServer({ MAX_SOCKETS_PER_ADDRESS: "2" });
  const adam = new Peer(server.base);
  await adam.create();
  const url = `${server.base}/api/conversations/${adam.conversationId}/socket`;
  // Two sockets that never authenticate: an address needs no key to hold one.
  const a = await RawSocket.open(server.base, adam.conversationId);
  const b = await RawSocket.open(server.base, adam.conversationId);
  const refused = await fetch(url, UPGRADE);
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
  assert.equal((await refused.json()).error.code, "too_many_sockets");
  await assert.rejects(RawSocket.open(server.base, adam.conversationId));
  assert.equal(server.state.hub.socketCount, 2);

  // Another address on the loopback network gets past the cap (to the handshake check).
  const client = Deno.createHttpClient({ localAddress: "127.0.0.2" });
  try {
    const other = await fetch(url, { ...UPGRADE, client } as RequestInit);
    assert.equal(other.status, 400);
    assert.equal((await other.json()).error.code, "bad_upgrade");
  } finally {
    client.close();
  }

  // A closed socket frees its place.
  await a.close();
  let c: RawSocket | undefined;
  await waitFor(async () => {
    c = await RawSocket.open(server.base, adam.conversationId).catch(() => undefined);
    return c !== undefined;
  }, "a place to free up");
  await b.close();
  await c!.close();
  // Addresses are counted in memory only.
  const events = server.logs.filter((line) => !line.includes('"listening"'));
  assert.ok(events.every((line) => !line.includes("127.0.0.")), events.join("\n"));
});

Deno.test("upgrades aborted before the 101 hold no place past AUTH_TIMEOUT_MS; the address connects again and the server shuts down promptly", async () => {
  const authTimeoutMs = 2000;
  const server = await startTestServer({
    MAX_SOCKETS_PER_ADDRESS: "3",
    AUTH_TIMEOUT_MS: String(authTimeoutMs),
    IDLE_TIMEOUT_MS: "4000",
  });
  let stopped = false;
  try {
    const adam = new Peer(server.base);
    const invite = await adam.create();
    // Joined, so the record is no longer kept in memory and every connect
    // reads its file (a waiting one is checked without a read, leaving no
    // moment to hang up in).
    await new Peer(server.base).join(adam.conversationId!, invite);
    const path = `/api/conversations/${adam.conversationId}/socket`;
    // A client that hangs up while the server reads the conversation leaves a
    // socket that Deno never opens nor closes; one that hangs up later gets an
    // ordinary close. Try until three sockets are left hanging.
    for (let i = 0; i < 60 && server.state.hub.socketCount < 3; i++) {
      await abortedUpgrade(server.base, path);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    assert.equal(server.state.hub.socketCount, 3, "three upgrades left hanging");
    // They hold the address's every place for now …
    assert.equal(await upgradeStatus(server.base, path), 429);

    // … but only until the authentication deadline.
    await waitFor(
      () => server.state.hub.socketCount === 0,
      "the aborted upgrades to give back their places",
      authTimeoutMs + 2000,
    );
    assert.ok(server.logs.some((line) => line.includes('"upgrade_abandoned"')));
    const again = await RawSocket.open(server.base, adam.conversationId);
    assert.equal((await again.next()).type, "challenge");
    await again.close();

    const started = Date.now();
    const result = await Promise.race([
      server.shutdown().then(() => "stopped"),
      new Promise((resolve) => setTimeout(() => resolve("hung"), 5000)),
    ]);
    assert.equal(result, "stopped");
    stopped = true;
    assert.ok(Date.now() - started < 3000, `shutdown took ${Date.now() - started} ms`);
  } finally {
    // A server whose shutdown hung is left behind rather than hanging the run.
    if (stopped) await Deno.remove(server.dataDir, { recursive: true });
  }
});

Deno.test("a socket sending faster than SEND_PER_SECOND is closed with 1008 rate_limited; other conversations carry on", async () => {
  await using server = await startTestServer({ SEND_PER_SECOND: "2" });
  const flooder = new Peer(server.base);
  await flooder.create();
  const { adam, eve } = await admittedPair(server.base);
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  await using e = await authenticatedSocket(server.base, await eve.socketIdentity());
  assert.equal((await a.next()).type, "presence");
  const eveId = (await eve.socketIdentity()).participantId;

  const flood = await authenticatedSocket(server.base, await flooder.socketIdentity());
  const stranger = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
  // Ten seconds' worth is the burst (20 frames, the auth frame among them).
  // One frame at a time, so none is in flight when the server closes: Deno
  // drops the close code when frames cross the close frame.
  const codes: unknown[] = [];
  for (let i = 0; i < 30 && codes.at(-1) !== "rate_limited"; i++) {
    flood.send({ type: "send", id: stranger, to: stranger, body: "AA" });
    codes.push((await flood.next()).code);
  }
  assert.deepEqual(codes, [...Array(19).fill("unknown_recipient"), "rate_limited"]);
  assert.equal((await flood.closed).code, 1008);
  assert.ok(server.logs.some((line) => line.includes('"socket_rate_limited"')));

  a.send({ type: "send", id: stranger, to: eveId, body: "aGVsbG8" });
  assert.deepEqual(await e.next(), {
    type: "message",
    id: stranger,
    from: (await adam.socketIdentity()).participantId,
    body: "aGVsbG8",
  });
});
