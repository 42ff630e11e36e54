/**
 * Liveness of relay sockets, on a real server with a short `IDLE_TIMEOUT_MS`:
 * the server pings an authenticated socket silent for half the idle time
 * and closes one silent for all of it (1001, `idle_timeout`), and its peer
 * sees it go offline; a socket that answers `pong` stays open; a pong is
 * relayed to no one and is paced like any frame; a socket still
 * authenticating is never pinged and keeps its own deadline.
 */
import assert from "node:assert/strict";
import { PING_FRAME_TEXT, PONG_FRAME_TEXT } from "../lib/protocol/liveness_frames.ts";
import { admittedPair } from "./fixtures/peer.ts";
import {
  authenticatedSocket,
  expectClosedWith,
  RawSocket,
  SilentSocket,
} from "./fixtures/raw_socket.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

const IDLE_MS = 1000;

/** Answers every ping of `raw` with a pong, as the browser client does; counts them. */
function answerPings(raw: RawSocket): { pings: number } {
  const seen = { pings: 0 };
  raw.socket.addEventListener("message", (event) => {
    if (event.data !== PING_FRAME_TEXT) return;
    seen.pings++;
    raw.send(PONG_FRAME_TEXT);
  });
  return seen;
}

/** The next frame of `raw` that is not a ping. */
async function nextNotPing(raw: RawSocket): Promise<Record<string, unknown>> {
  while (true) {
    const frame = await raw.next();
    if (frame.type !== "ping") return frame;
  }
}

Deno.test("liveness: a socket that stops answering pings is closed (1001 idle_timeout) after IDLE_TIMEOUT_MS and its peer sees it go offline", async () => {
  await using server = await startTestServer({ IDLE_TIMEOUT_MS: String(IDLE_MS) });
  const { adam, eve } = await admittedPair(server.base);
  const eveId = (await eve.socketIdentity()).participantId;
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  answerPings(a);
  const eveIdentity = await eve.socketIdentity();
  // Eve's last frame (auth) goes out after this.
  const before = Date.now();
  const e = await authenticatedSocket(server.base, eveIdentity);
  assert.deepEqual(await nextNotPing(a), { type: "presence", participantId: eveId, online: true });

  // Eve's side goes quiet: it is pinged once, answers nothing, and is closed.
  assert.deepEqual(await e.next(), { type: "ping" });
  const closed = await e.closed;
  const after = Date.now() - before;
  assert.equal(closed.code, 1001);
  assert.equal(closed.reason, "idle_timeout");
  assert.deepEqual(e.frames, [], "one ping, then the close");
  assert.ok(after >= IDLE_MS && after < IDLE_MS * 3, `closed after ${after} ms`);

  // Adam, who answers, stays and is told at once.
  assert.deepEqual(await nextNotPing(a), { type: "presence", participantId: eveId, online: false });
  assert.equal(a.socket.readyState, WebSocket.OPEN);
  await waitFor(() => server.state.hub.socketCount === 1, "eve's place to be given back");
});

Deno.test("liveness: sockets that answer pings stay open past several idle periods, and neither side sees the other go offline", async () => {
  await using server = await startTestServer({ IDLE_TIMEOUT_MS: String(IDLE_MS) });
  const { adam, eve } = await admittedPair(server.base);
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  const adamSeen = answerPings(a);
  await using e = await authenticatedSocket(server.base, await eve.socketIdentity());
  const eveSeen = answerPings(e);

  await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 4));
  assert.equal(a.socket.readyState, WebSocket.OPEN);
  assert.equal(e.socket.readyState, WebSocket.OPEN);
  assert.equal(server.state.hub.socketCount, 2);
  // One ping per half idle time of silence, or about: never a flood.
  for (const seen of [adamSeen, eveSeen]) {
    assert.ok(seen.pings >= 3 && seen.pings <= 8, `${seen.pings} pings in four idle periods`);
  }
  const offline = [...a.frames, ...e.frames].filter((f) =>
    (f as { online?: boolean }).online === false
  );
  assert.deepEqual(offline, []);
  // A message still goes through as before.
  const adamId = (await adam.socketIdentity()).participantId;
  const eveId = (await eve.socketIdentity()).participantId;
  const id = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
  a.send({ type: "send", id, to: eveId, body: "aGVsbG8" });
  assert.deepEqual(await nextNotPing(e), { type: "message", id, from: adamId, body: "aGVsbG8" });
});

Deno.test("liveness: a pong is relayed to no one, and a client flooding pongs is rate limited like any frame", async () => {
  await using server = await startTestServer({
    IDLE_TIMEOUT_MS: String(IDLE_MS),
    SEND_PER_SECOND: "2",
  });
  const { adam, eve } = await admittedPair(server.base);
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  answerPings(a);
  const e = await authenticatedSocket(server.base, await eve.socketIdentity());
  const eveId = (await eve.socketIdentity()).participantId;
  assert.deepEqual(await nextNotPing(a), { type: "presence", participantId: eveId, online: true });

  // Ten seconds' worth is the burst (20 frames, the auth frame among them).
  // Sent at once: the close code may be lost as frames cross the close, the error is not.
  for (let i = 0; i < 30; i++) e.send(PONG_FRAME_TEXT);
  assert.deepEqual(
    { ...await nextNotPing(e), message: undefined },
    { type: "error", code: "rate_limited", message: undefined },
  );
  await e.closed;
  assert.ok(server.logs.some((line) => line.includes('"socket_rate_limited"')));
  // Adam got no pong: only the news that Eve left.
  assert.deepEqual(await nextNotPing(a), { type: "presence", participantId: eveId, online: false });
  assert.deepEqual(a.frames.filter((f) => (f as { type: string }).type !== "ping"), []);
});

Deno.test("liveness: a socket still authenticating is never pinged, keeps its AUTH_TIMEOUT_MS deadline, and a pong does not stand in for auth", async () => {
  const authTimeoutMs = IDLE_MS * 2.5;
  await using server = await startTestServer({
    IDLE_TIMEOUT_MS: String(IDLE_MS),
    AUTH_TIMEOUT_MS: String(authTimeoutMs),
  });
  const { adam } = await admittedPair(server.base);
  const path = `/api/conversations/${(await adam.socketIdentity()).conversationId}/socket`;
  // A client that never answers anything, not even the protocol's own pings.
  const started = Date.now();
  const silent = await SilentSocket.open(server.base, path);
  const code = await silent.closed;
  const after = Date.now() - started;
  assert.equal(code, 1008);
  assert.ok(after >= authTimeoutMs - 100, `closed after ${after} ms, before its deadline`);
  const texts = silent.frames.filter((f) => f.opcode === 0x1)
    .map((f) => JSON.parse(new TextDecoder().decode(f.payload)).type);
  assert.deepEqual(texts, ["challenge", "error"]);
  assert.ok(!silent.frames.some((f) => f.opcode === 0x9), "no protocol ping either");

  // A pong before authenticating is refused like any other frame but auth.
  const early = await RawSocket.open(server.base, (await adam.socketIdentity()).conversationId);
  assert.equal((await early.next()).type, "challenge");
  early.send(PONG_FRAME_TEXT);
  await expectClosedWith(early, "not_authenticated");
  await waitFor(() => server.state.hub.socketCount === 0, "both places to be given back");
});
