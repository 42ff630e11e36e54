import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { FakeSockets } from "../../tests/fixtures/fake_socket.ts";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";
import { verifyAuth } from "../crypto/auth.ts";
import { decodeBase64Url, encodeBase64Url } from "../crypto/encoding.ts";
import { RelaySpelling } from "../protocol/relay_frame_scanner.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import { ClientState } from "./client_state.ts";
import { Connection } from "./connection.ts";
import type { SendRate } from "./send_budget.ts";

/** A joiner's connection (peer pinned) over fake sockets; frames it hands on are kept. */
async function connectionOf(options: { baseUrl?: string; sendRate?: SendRate } = {}) {
  const { joiner: side } = await makeStoredPair();
  const state = new ClientState(side.conversation, [], {
    storage: side.storage,
    onChange: () => {},
    onStale: () => {},
  });
  const sockets = new FakeSockets();
  const routed: ServerFrame[] = [];
  const connection = new Connection({
    baseUrl: options.baseUrl ?? "http://127.0.0.1:8000",
    state,
    sendRate: options.sendRate,
    openSocket: sockets.open,
    onFrame: (frame) => {
      routed.push(frame);
      return Promise.resolve();
    },
  });
  const peerId = side.conversation.peer!.id;
  const ownId = side.conversation.participantId;
  const settle = () => state.serial(() => Promise.resolve());
  /** Connects, opens the socket and lets the server say `ready`. */
  const online = async (peerOnline = true) => {
    connection.start();
    const socket = sockets.last;
    socket.open();
    socket.deliver({ type: "ready", peers: [{ id: peerId, online: peerOnline }] });
    await settle();
    return socket;
  };
  return { side, state, sockets, routed, connection, peerId, ownId, settle, online };
}

Deno.test("start() opens the conversation's socket, over wss: when the server is on https", async () => {
  const plain = await connectionOf({ baseUrl: "http://127.0.0.1:8000" });
  plain.connection.start();
  assert.equal(
    plain.sockets.last.url.href,
    `ws://127.0.0.1:8000/api/conversations/${plain.side.conversation.id}/socket`,
  );
  assert.equal(plain.connection.status, "connecting");
  assert.equal(plain.connection.socketNumber, 1);
  plain.connection.stop();
  const secure = await connectionOf({ baseUrl: "https://chat.example" });
  secure.connection.start();
  assert.equal(
    secure.sockets.last.url.href,
    `wss://chat.example/api/conversations/${secure.side.conversation.id}/socket`,
  );
  secure.connection.stop();
});

Deno.test("the server's challenge is answered with a signature the server accepts", async () => {
  const { connection, sockets, side, routed, settle, ownId } = await connectionOf();
  connection.start();
  sockets.last.open();
  const nonce = crypto.getRandomValues(new Uint8Array(32));
  sockets.last.deliver({ type: "challenge", nonce: encodeBase64Url(nonce) });
  await settle();
  const [auth] = sockets.last.frames();
  assert.ok(auth?.type === "auth");
  assert.equal(auth.participantId, ownId);
  const signKey = decodeBase64Url(side.conversation.bundle.sign);
  const signature = decodeBase64Url(auth.signature);
  const { id } = side.conversation;
  assert.ok(await verifyAuth(signKey, id, nonce, signature));
  // Bound to this nonce and this conversation.
  assert.ok(!await verifyAuth(signKey, id, new Uint8Array(32), signature));
  assert.ok(!await verifyAuth(signKey, "01J00000000000000000000000", nonce, signature));
  // The challenge is the connection's own business.
  assert.deepEqual(routed, []);
  connection.stop();
});

Deno.test("`ready` makes the connection online and records who is online", async () => {
  const { connection, peerId, routed, online } = await connectionOf();
  assert.equal(connection.peerReady, false);
  await online();
  assert.equal(connection.status, "online");
  assert.ok(connection.isOnline(peerId));
  assert.ok(connection.peerReady);
  assert.deepEqual(routed.map((f) => f.type), ["ready"]);
  connection.stop();
  assert.equal(connection.status, "closed");
  assert.equal(connection.peerReady, false);
});

Deno.test("`ready` with the peer away is online but not ready to send to the peer", async () => {
  const { connection, peerId, online } = await connectionOf();
  await online(false);
  assert.equal(connection.status, "online");
  assert.ok(!connection.isOnline(peerId));
  assert.equal(connection.peerReady, false);
  connection.stop();
});

Deno.test("the peer's presence changes resendEpoch, this browser's own presence does not", async () => {
  const { connection, peerId, ownId, online, settle } = await connectionOf();
  const socket = await online(false);
  const epoch = connection.resendEpoch;
  socket.deliver({ type: "presence", participantId: peerId, online: true });
  await settle();
  assert.ok(connection.isOnline(peerId));
  assert.equal(connection.resendEpoch, epoch + 1);
  socket.deliver({ type: "presence", participantId: ownId, online: true });
  await settle();
  assert.equal(connection.resendEpoch, epoch + 1);
  socket.deliver({ type: "presence", participantId: peerId, online: false });
  await settle();
  assert.ok(!connection.isOnline(peerId));
  assert.equal(connection.peerReady, false);
  assert.equal(connection.resendEpoch, epoch + 2);
  connection.stop();
});

Deno.test("a `peer_offline` error forgets who is online and changes resendEpoch", async () => {
  const { connection, peerId, online, settle, routed } = await connectionOf();
  const socket = await online();
  const epoch = connection.resendEpoch;
  socket.deliver({ type: "error", code: "peer_offline", message: "The other person is away" });
  await settle();
  assert.ok(!connection.isOnline(peerId));
  assert.equal(connection.resendEpoch, epoch + 1);
  assert.equal(routed.at(-1)?.type, "error");
  connection.stop();
});

Deno.test("a malformed frame becomes a problem and is not handed on", async () => {
  const { connection, state, routed, online, settle } = await connectionOf();
  const socket = await online();
  routed.length = 0;
  socket.deliver("{not json");
  socket.deliver(new Uint8Array([1, 2, 3]));
  socket.deliver({ type: "message", id: "not a ULID", from: "x", body: "AAAA" });
  await settle();
  assert.deepEqual(routed, []);
  assert.equal(state.problems.length, 3);
  for (const problem of state.problems) {
    assert.equal(problem.kind, "message");
    assert.match(problem.message, /^The server sent a malformed frame: /);
  }
  assert.match(state.problems[1].message, /Expected a text frame/);
  connection.stop();
});

Deno.test("a `closed` frame is only routed: the connection stays until the client ends it", async () => {
  using clock = new ManualClock();
  const { connection, sockets, routed, online, settle } = await connectionOf();
  const socket = await online();
  socket.deliver({ type: "closed", reason: "deleted" });
  await settle();
  assert.equal(connection.status, "online");
  assert.equal(socket.closedWith, null);
  assert.equal(routed.at(-1)?.type, "closed");
  connection.stop();
  assert.equal(connection.status, "closed");
  assert.equal(clock.pending, 0);
  clock.advance(60_000);
  assert.equal(sockets.opened.length, 1);
  connection.start();
  assert.equal(sockets.opened.length, 1);
});

Deno.test("a lost socket reconnects after a growing backoff, and each new socket bumps socketNumber", async () => {
  using clock = new ManualClock();
  const { connection, sockets, peerId, online, settle } = await connectionOf();
  const first = await online();
  const epoch = connection.resendEpoch;
  first.drop();
  assert.equal(connection.status, "reconnecting");
  assert.ok(!connection.isOnline(peerId));
  assert.equal(connection.resendEpoch, epoch + 1);
  // The first retry waits between 250 and 500 ms (jittered).
  clock.advance(249);
  assert.equal(sockets.opened.length, 1);
  clock.advance(251);
  assert.equal(sockets.opened.length, 2);
  assert.equal(connection.socketNumber, 2);
  assert.equal(connection.resendEpoch, epoch + 2);
  assert.equal(sockets.last.url.href, first.url.href);
  // A late frame on the old socket is ignored.
  first.deliver({ type: "ready", peers: [{ id: peerId, online: true }] });
  await settle();
  assert.equal(connection.status, "reconnecting");
  // Lost again before `ready`: the next retry waits between 500 and 1000 ms.
  sockets.last.drop();
  clock.advance(499);
  assert.equal(sockets.opened.length, 2);
  clock.advance(501);
  assert.equal(sockets.opened.length, 3);
  // `ready` starts the backoff over.
  sockets.last.open();
  sockets.last.deliver({ type: "ready", peers: [{ id: peerId, online: true }] });
  await settle();
  assert.equal(connection.status, "online");
  sockets.last.drop();
  clock.advance(500);
  assert.equal(sockets.opened.length, 4);
  assert.equal(connection.socketNumber, 4);
  connection.stop();
  assert.equal(clock.pending, 0);
});

Deno.test("after a rate limit the connection comes back slowly", async () => {
  using clock = new ManualClock();
  const { connection, sockets, online, settle } = await connectionOf();
  const socket = await online();
  socket.deliver({ type: "error", code: "rate_limited", message: "Too many frames" });
  await settle();
  socket.drop(1008);
  clock.advance(4999);
  assert.equal(sockets.opened.length, 1);
  clock.advance(5001);
  assert.equal(sockets.opened.length, 2);
  connection.stop();
});

Deno.test("transmit() sends a `send` frame to the peer only while the socket is open", async () => {
  const { connection, sockets, peerId, ownId, settle } = await connectionOf();
  assert.equal(connection.transmit("01J0000000000000000000000A", "Ym9keQ"), false);
  connection.start();
  const socket = sockets.last;
  assert.equal(connection.transmit("01J0000000000000000000000A", "Ym9keQ"), false);
  socket.open();
  assert.equal(connection.transmit("01J0000000000000000000000A", "Ym9keQ"), true);
  socket.drop();
  assert.equal(connection.transmit("01J0000000000000000000000B", "Ym9keQ"), false);
  assert.deepEqual(socket.frames(), [
    { type: "send", id: "01J0000000000000000000000A", to: peerId, body: "Ym9keQ", from: ownId },
  ]);
  // The frame carries the `message` frame the relay passes on as it is.
  const [text] = socket.sent;
  const carried = new RelaySpelling(ownId, peerId).message(text, 1024);
  assert.ok(carried !== null && text.includes(carried), text);
  assert.equal(
    carried,
    JSON.stringify({
      type: "message",
      id: "01J0000000000000000000000A",
      from: ownId,
      body: "Ym9keQ",
    }),
  );
  connection.stop();
  await settle();
});

Deno.test("transmit() sends nothing before a peer is pinned", async () => {
  const { creator: side } = await makeStoredPair({ pinned: false });
  const state = new ClientState(side.conversation, [], {
    storage: side.storage,
    onChange: () => {},
    onStale: () => {},
  });
  const sockets = new FakeSockets();
  const connection = new Connection({
    baseUrl: "http://127.0.0.1:8000",
    state,
    openSocket: sockets.open,
    onFrame: () => Promise.resolve(),
  });
  connection.start();
  sockets.last.open();
  assert.equal(connection.transmit("01J0000000000000000000000A", "Ym9keQ"), false);
  assert.deepEqual(sockets.last.sent, []);
  connection.stop();
});

Deno.test("the pacing budget lets a burst go, then says how long to wait", async () => {
  using clock = new ManualClock();
  const { connection } = await connectionOf({ sendRate: { perSecond: 10, burst: 2 } });
  assert.equal(connection.waitMs(), 0);
  assert.ok(connection.take());
  assert.ok(connection.take());
  assert.ok(!connection.take());
  assert.equal(connection.waitMs(), 100);
  clock.advance(100);
  assert.equal(connection.waitMs(), 0);
  assert.ok(connection.take());
  assert.ok(!connection.take());
});

Deno.test("requestDelete() asks the server only while online", async () => {
  const { connection, sockets, settle } = await connectionOf();
  assert.equal(connection.requestDelete(), false);
  connection.start();
  const socket = sockets.last;
  socket.open();
  // Open, but the challenge is not yet answered.
  assert.equal(connection.requestDelete(), false);
  socket.deliver({ type: "ready", peers: [] });
  await settle();
  assert.equal(connection.requestDelete(), true);
  assert.deepEqual(socket.frames(), [{ type: "delete" }]);
  connection.stop();
});

Deno.test("stop() closes the socket normally and nothing reconnects", async () => {
  using clock = new ManualClock();
  const { connection, sockets, online } = await connectionOf();
  const socket = await online();
  connection.stop();
  assert.equal(socket.closedWith, 1000);
  assert.equal(connection.status, "closed");
  await Promise.resolve();
  assert.equal(socket.readyState, WebSocket.CLOSED);
  clock.advance(60_000);
  connection.start();
  assert.equal(sockets.opened.length, 1);
});

Deno.test("the relay's ping is answered with a pong at once, ahead of a busy queue, and reaches no part", async () => {
  const { state, routed, online, settle } = await connectionOf();
  const socket = await online();
  const before = routed.length;
  // The queue is held by slow work, as when a large file is being assembled.
  const { promise: held, resolve: release } = Promise.withResolvers<void>();
  const busy = state.serial(() => held);
  socket.deliver({ type: "ping" });
  assert.deepEqual(socket.sent.slice(-1), ['{"type":"pong"}']);
  release();
  await busy;
  // Another spelling of the same frame is answered too, from the queue.
  socket.deliver('{ "type": "ping" }');
  await settle();
  assert.deepEqual(socket.sent.slice(-2), ['{"type":"pong"}', '{"type":"pong"}']);
  assert.equal(routed.length, before, "no part saw a ping");
});

Deno.test("when the browser says it went offline the socket counts as lost at once, and a new one opens as soon as it is back", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  assert.equal(parts.connection.peerReady, true);
  globalThis.dispatchEvent(new Event("offline"));
  assert.equal(parts.connection.status, "reconnecting");
  assert.equal(parts.connection.peerReady, false);
  // Written meanwhile, it waits instead of going into a socket that leads nowhere.
  const message = await parts.outbox.write({ kind: "text", text: "hi" }, parts.state.ulid());
  await parts.settle();
  assert.equal(parts.state.find(message.id)?.status, "pending");
  assert.equal(socket.sends().length, 0);
  globalThis.dispatchEvent(new Event("online"));
  assert.notEqual(parts.sockets.last, socket, "a new socket opens without waiting for the backoff");
  const again = parts.sockets.last;
  again.open();
  again.deliver({ type: "ready", peers: [{ id: parts.peerId, online: true }] });
  await parts.settle();
  assert.equal(parts.state.find(message.id)?.status, "sent");
});
