/**
 * Extending a conversation on a real server: both participants'
 * authenticated sockets must ask for the same later end, within the
 * operator's maximum lifetime from creation; the record, the expiry index
 * and both sides' sockets follow. Bad requests get a clear error and change
 * nothing.
 */
import assert from "node:assert/strict";
import { Peer } from "./fixtures/peer.ts";
import {
  authenticatedSocket,
  expectClosedWith,
  type RawSocket,
  RawSocket as Raw,
} from "./fixtures/raw_socket.ts";
import { snapshotDir, startTestServer, type TestServer } from "./fixtures/server.ts";

/** Adam creates a conversation of `lifetime` seconds, Eve joins, both sockets authenticate. */
async function connectedPair(server: TestServer, lifetime = 3600) {
  const adam = new Peer(server.base);
  const eve = new Peer(server.base);
  const invite = await adam.create(lifetime);
  await eve.join(adam.conversationId, invite);
  const a = await authenticatedSocket(server.base, await adam.socketIdentity());
  const e = await authenticatedSocket(server.base, await eve.socketIdentity());
  // Adam's socket hears that Eve came online.
  assert.equal((await a.next()).type, "presence");
  const record = await readRecord(server, adam.conversationId);
  return { adam, eve, a, e, id: adam.conversationId, record };
}

async function readRecord(server: TestServer, id: string) {
  const response = await fetch(`${server.base}/api/conversations/${id}`);
  if (response.status !== 200) {
    await response.body?.cancel();
    return null;
  }
  const body = await response.json();
  return body.conversation as { createdAt: string; expiresAt: string; modifiedAt: string };
}

/** The next frame of `raw` that is not a presence notice. */
async function nextFrame(raw: RawSocket): Promise<Record<string, unknown>> {
  for (;;) {
    const frame = await raw.next();
    if (frame.type !== "presence") return frame;
  }
}

function later(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

Deno.test("an extension both participants ask for moves the end on disk and on both sockets", async () => {
  await using server = await startTestServer();
  const { a, e, id, record } = await connectedPair(server);
  await using _a = a;
  await using _e = e;
  const wanted = later(record!.expiresAt, 24 * 3600_000);
  a.send({ type: "extend", expiresAt: wanted });
  // Eve is asked; nothing changes until she agrees.
  assert.deepEqual(await nextFrame(e), { type: "extend_requested", expiresAt: wanted });
  assert.equal((await readRecord(server, id))!.expiresAt, record!.expiresAt);
  e.send({ type: "extend", expiresAt: wanted });
  assert.deepEqual(await nextFrame(a), { type: "extended", expiresAt: wanted });
  assert.deepEqual(await nextFrame(e), { type: "extended", expiresAt: wanted });
  const after = (await readRecord(server, id))!;
  assert.equal(after.expiresAt, wanted);
  assert.ok(after.modifiedAt > record!.modifiedAt, "modifiedAt moved");
  assert.equal(after.createdAt, record!.createdAt);
  const file = JSON.parse(await Deno.readTextFile(`${server.dataDir}/${id}.json`));
  assert.equal(file.expiresAt, wanted);
  assert.ok(server.logs.some((line) => line.includes('"conversation_extended"')));
  // The server logs no time, key or address for it.
  for (const line of server.logs) assert.ok(!line.includes(wanted), line);
});

Deno.test("an extended conversation outlives its old end and expires at the new one", async () => {
  await using server = await startTestServer();
  const { a, e, id, record } = await connectedPair(server, 2);
  await using _a = a;
  await using _e = e;
  const wanted = later(record!.createdAt, 5000);
  a.send({ type: "extend", expiresAt: wanted });
  await nextFrame(e);
  e.send({ type: "extend", expiresAt: wanted });
  assert.equal((await nextFrame(a)).type, "extended");
  // Past the old end (2 s), the conversation and its sockets are still there.
  await new Promise((resolve) =>
    setTimeout(resolve, Date.parse(record!.expiresAt) - Date.now() + 700)
  );
  assert.equal((await readRecord(server, id))?.expiresAt, wanted);
  assert.equal(a.socket.readyState, WebSocket.OPEN);
  // At the new end both sockets are told and the file is gone.
  assert.deepEqual(await nextFrame(a), { type: "closed", reason: "expired" });
  assert.equal(await readRecord(server, id), null);
  await assert.rejects(Deno.stat(`${server.dataDir}/${id}.json`), Deno.errors.NotFound);
});

Deno.test("an extension beyond the maximum lifetime from creation is refused and changes nothing", async () => {
  await using server = await startTestServer({ MAX_LIFETIME: "7200" });
  const { a, e, record, id } = await connectedPair(server, 3600);
  await using _a = a;
  await using _e = e;
  const before = await snapshotDir(server.dataDir);
  const tooLate = later(record!.createdAt, 7200_000 + 1000);
  for (const socket of [a, e]) socket.send({ type: "extend", expiresAt: tooLate });
  for (const socket of [a, e]) {
    const frame = await nextFrame(socket);
    assert.equal(frame.type, "error");
    assert.equal(frame.code, "lifetime_too_long");
    assert.match(String(frame.message), /at most 7200 seconds from its creation/);
  }
  assert.deepEqual(await snapshotDir(server.dataDir), before);
  // Exactly the maximum is allowed, and the sockets stayed open for it.
  const longest = later(record!.createdAt, 7200_000);
  a.send({ type: "extend", expiresAt: longest });
  assert.equal((await nextFrame(e)).type, "extend_requested");
  e.send({ type: "extend", expiresAt: longest });
  assert.deepEqual(await nextFrame(a), { type: "extended", expiresAt: longest });
  assert.equal((await readRecord(server, id))!.expiresAt, longest);
});

Deno.test("malformed extend frames close the socket as bad_frame and change nothing", async () => {
  await using server = await startTestServer();
  const { adam, record } = await connectedPair(server);
  const before = await snapshotDir(server.dataDir);
  for (
    const frame of [
      { type: "extend" },
      { type: "extend", expiresAt: "tomorrow" },
      { type: "extend", expiresAt: 1893456000000 },
      { type: "extend", expiresAt: "2030-01-01T00:00:00Z" },
      { type: "extend", expiresAt: later(record!.expiresAt, 1000), extra: true },
    ]
  ) {
    const raw = await authenticatedSocket(server.base, await adam.socketIdentity());
    raw.send(frame);
    await expectClosedWith(raw, "bad_frame", 1008);
  }
  assert.deepEqual(await snapshotDir(server.dataDir), before);
});

Deno.test("an unauthenticated extend is refused, and one participant alone extends nothing", async () => {
  await using server = await startTestServer();
  const { a, e, id, record } = await connectedPair(server);
  await using _a = a;
  await using _e = e;
  const before = await snapshotDir(server.dataDir);
  const wanted = later(record!.expiresAt, 3600_000);
  const stranger = await Raw.open(server.base, id);
  assert.equal((await stranger.next()).type, "challenge");
  stranger.send({ type: "extend", expiresAt: wanted });
  await expectClosedWith(stranger, "not_authenticated", 1008);
  // Adam asking twice is still one participant.
  a.send({ type: "extend", expiresAt: wanted });
  a.send({ type: "extend", expiresAt: wanted });
  assert.equal((await nextFrame(e)).type, "extend_requested");
  assert.equal((await nextFrame(e)).type, "extend_requested");
  // Eve agreeing to another end applies neither.
  e.send({ type: "extend", expiresAt: later(wanted, 1000) });
  assert.deepEqual(await nextFrame(a), {
    type: "extend_requested",
    expiresAt: later(wanted, 1000),
  });
  assert.deepEqual(await snapshotDir(server.dataDir), before);
  assert.equal((await readRecord(server, id))!.expiresAt, record!.expiresAt);
});

Deno.test("an end that is not later, or a request while the other person is offline, is refused", async () => {
  await using server = await startTestServer();
  const { a, e, record } = await connectedPair(server);
  await using _a = a;
  const before = await snapshotDir(server.dataDir);
  a.send({ type: "extend", expiresAt: record!.expiresAt });
  assert.equal((await nextFrame(a)).code, "not_later");
  a.send({ type: "extend", expiresAt: later(record!.expiresAt, -60_000) });
  assert.equal((await nextFrame(a)).code, "not_later");
  await e.close();
  a.send({ type: "extend", expiresAt: later(record!.expiresAt, 60_000) });
  const frame = await nextFrame(a);
  assert.equal(frame.code, "peer_offline");
  assert.equal(a.socket.readyState, WebSocket.OPEN);
  assert.deepEqual(await snapshotDir(server.dataDir), before);
});
