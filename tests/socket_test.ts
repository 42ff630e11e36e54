/**
 * The relay socket against hostile and broken clients: each bad frame is
 * answered with an error and a close code, and nothing else happens.
 */
import assert from "node:assert/strict";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { admittedPair, Peer } from "./fixtures/peer.ts";
import {
  answerChallenge,
  authenticatedSocket,
  expectClosedWith,
  RawSocket,
} from "./fixtures/raw_socket.ts";
import { snapshotDir, startTestServer } from "./fixtures/server.ts";

/** Sends `frame` and expects an error `code`, then the close `closeCode`. */
async function expectRejected(
  raw: RawSocket,
  frame: unknown,
  code: string,
  closeCode: number,
): Promise<void> {
  raw.send(frame);
  await expectClosedWith(raw, code, closeCode);
}

Deno.test("socket auth succeeds with the participant's key and reports the peer", async () => {
  await using server = await startTestServer();
  const { adam, eve } = await admittedPair(server.base);
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  await using e = await authenticatedSocket(server.base, await eve.socketIdentity());
  assert.deepEqual(await a.next(), {
    type: "presence",
    participantId: (await eve.storage.getConversation(eve.conversationId))!.participantId,
    online: true,
  });
  await a.close();
  assert.equal((await e.next()).online, false);
});

Deno.test("socket auth with a wrong signature is refused with 1008", async () => {
  await using server = await startTestServer();
  const { adam } = await admittedPair(server.base);
  const stored = (await adam.storage.getConversation(adam.conversationId))!;
  const raw = await RawSocket.open(server.base, adam.conversationId);
  await raw.next();
  await expectRejected(
    raw,
    {
      type: "auth",
      participantId: stored.participantId,
      signature: encodeBase64Url(new Uint8Array(64)),
    },
    "auth_failed",
    1008,
  );
});

Deno.test("socket auth signed for another conversation is refused", async () => {
  await using server = await startTestServer();
  const { adam } = await admittedPair(server.base);
  const other = new Peer(server.base);
  await other.create();
  const raw = await RawSocket.open(server.base, other.conversationId);
  // Adam signs for his own conversation, on a socket of another one.
  await answerChallenge(raw, await adam.socketIdentity());
  await expectClosedWith(raw, "auth_failed", 1008);
});

Deno.test("a frame before auth is refused", async () => {
  await using server = await startTestServer();
  const { adam } = await admittedPair(server.base);
  const raw = await RawSocket.open(server.base, adam.conversationId);
  await raw.next();
  await expectRejected(raw, { type: "delete" }, "not_authenticated", 1008);
  assert.equal(Object.keys(await snapshotDir(server.dataDir)).length, 1);
});

for (
  const [name, frame] of [
    ["not JSON", "{nope"],
    ["a JSON array", "[1,2]"],
    ["an unknown type", { type: "shout" }],
    ["a send with a bad ID", { type: "send", id: "../x", to: "x", body: "AA" }],
    ["a send with a number body", {
      type: "send",
      id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
      to: "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
      body: 5,
    }],
    ["an extra field", { type: "delete", really: true }],
  ] as const
) {
  Deno.test(`a malformed frame (${name}) closes the socket with 1008 and changes nothing`, async () => {
    await using server = await startTestServer();
    const { adam } = await admittedPair(server.base);
    const before = await snapshotDir(server.dataDir);
    const raw = await authenticatedSocket(server.base, await adam.socketIdentity());
    await expectRejected(raw, frame, "bad_frame", 1008);
    assert.deepEqual(await snapshotDir(server.dataDir), before);
  });
}

Deno.test("an oversized frame closes the socket with 1009", async () => {
  await using server = await startTestServer({ MAX_FRAME_BYTES: "4096" });
  const { adam, eve } = await admittedPair(server.base);
  const raw = await authenticatedSocket(server.base, await adam.socketIdentity());
  const to = (await eve.storage.getConversation(eve.conversationId))!.participantId;
  await expectRejected(
    raw,
    {
      type: "send",
      id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
      to,
      body: "A".repeat(5000),
    },
    "frame_too_large",
    1009,
  );
});

Deno.test("a binary frame closes the socket with 1008", async () => {
  await using server = await startTestServer();
  const { adam } = await admittedPair(server.base);
  const raw = await authenticatedSocket(server.base, await adam.socketIdentity());
  raw.socket.send(new Uint8Array([1, 2, 3]));
  assert.equal((await raw.next()).code, "bad_frame");
  assert.equal((await raw.closed).code, 1008);
});

Deno.test("a message to oneself or a stranger is refused, and nothing is relayed", async () => {
  await using server = await startTestServer();
  const { adam, eve } = await admittedPair(server.base);
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  await using e = await authenticatedSocket(server.base, await eve.socketIdentity());
  await a.next(); // Eve's presence.
  const self = (await adam.storage.getConversation(adam.conversationId))!.participantId;
  for (const to of [self, "01JD3Q8Z5V4T6N2M8K0P9R7S1A"]) {
    a.send({ type: "send", id: "01JD3Q8Z5V4T6N2M8K0P9R7S1B", to, body: "AAAA" });
    assert.equal((await a.next()).code, "unknown_recipient");
  }
  assert.deepEqual(e.frames, []);
});

Deno.test("a socket that never authenticates is closed", async () => {
  await using server = await startTestServer({ AUTH_TIMEOUT_MS: "200" });
  const { adam } = await admittedPair(server.base);
  const raw = await RawSocket.open(server.base, adam.conversationId);
  await raw.next();
  assert.equal((await raw.next()).code, "auth_timeout");
  assert.equal((await raw.closed).code, 1008);
});

Deno.test("a socket for an unknown or malformed conversation is refused before upgrade", async () => {
  await using server = await startTestServer();
  for (const [id, status] of [["01JD3Q8Z5V4T6N2M8K0P9R7S1A", 404], ["nope", 400]] as const) {
    const response = await fetch(`${server.base}/api/conversations/${id}/socket`, {
      headers: { upgrade: "websocket", connection: "upgrade" },
    });
    assert.equal(response.status, status);
    assert.ok((await response.json()).error.code);
  }
});

Deno.test("a socket opened just before its conversation was deleted cannot authenticate", async () => {
  await using server = await startTestServer();
  const { adam } = await admittedPair(server.base);
  const raw = await RawSocket.open(server.base, adam.conversationId);
  // Deleted between the upgrade and the auth frame.
  await Deno.remove(`${server.dataDir}/${adam.conversationId}.json`);
  await answerChallenge(raw, await adam.socketIdentity());
  await expectClosedWith(raw, "not_found", 1008);
});

Deno.test("both people deleting at the same moment remove the file once and log it once", async () => {
  await using server = await startTestServer();
  const { adam, eve } = await admittedPair(server.base);
  await using a = await authenticatedSocket(server.base, await adam.socketIdentity());
  await using e = await authenticatedSocket(server.base, await eve.socketIdentity());
  assert.equal((await a.next()).type, "presence");
  a.send({ type: "delete" });
  e.send({ type: "delete" });
  for (const socket of [a, e]) {
    let frame: Record<string, unknown>;
    do frame = await socket.next(); while (frame.type === "presence");
    assert.deepEqual(frame, { type: "closed", reason: "deleted" });
  }
  assert.deepEqual(await snapshotDir(server.dataDir), {});
  const deleted = server.logs.filter((line) => line.includes('"conversation_deleted"'));
  assert.equal(deleted.length, 1, deleted.join("\n"));
});
