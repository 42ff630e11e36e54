/**
 * TURN credentials for calls: handed out by the relay to authenticated
 * sockets only, in coturn's use-auth-secret form, and never without TURN.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { parseServerFrame } from "../lib/protocol/server_frames.ts";
import { admittedPair } from "./fixtures/peer.ts";
import { authenticatedSocket, RawSocket } from "./fixtures/raw_socket.ts";
import { startTestServer } from "./fixtures/server.ts";

const TURN = {
  TURN_URLS: "turn:127.0.0.1:3478?transport=udp",
  TURN_SECRET: "test-secret-0123456789",
};

Deno.test("an authenticated socket is handed time-limited TURN credentials, an unauthenticated one nothing", async () => {
  await using server = await startTestServer(TURN);
  const { adam } = await admittedPair(server.base);
  const who = await adam.socketIdentity();
  // Before auth: the challenge only.
  await using early = await RawSocket.open(server.base, who.conversationId);
  assert.equal((await early.next()).type, "challenge");
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(early.frames, [], "nothing but the challenge before auth");
  await early.close();

  await using raw = await authenticatedSocket(server.base, who);
  const frame = await raw.next();
  const turn = parseServerFrame(JSON.stringify(frame), { maxBodyLength: 1000 });
  assert.equal(turn.type, "turn");
  if (turn.type !== "turn") return;
  assert.deepEqual(turn.urls, [TURN.TURN_URLS]);
  const [expiry] = turn.username.split(":");
  const lifetime = Number(expiry) - Date.now() / 1000;
  assert.ok(lifetime > 11 * 3600 && lifetime <= 12 * 3600, `valid for 12 hours, not ${lifetime}s`);
  assert.equal(
    turn.credential,
    createHmac("sha1", TURN.TURN_SECRET).update(turn.username).digest("base64"),
  );
  assert.ok(!JSON.stringify(server.logs).includes(turn.credential));
});

Deno.test("without TURN settings no socket is handed TURN credentials", async () => {
  await using server = await startTestServer();
  const { adam } = await admittedPair(server.base);
  await using raw = await authenticatedSocket(server.base, await adam.socketIdentity());
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(raw.frames.every((f) => (f as { type: string }).type !== "turn"));
});

Deno.test("a turn frame with a URL of another scheme or extra keys is refused by the client", () => {
  const good = { type: "turn", urls: ["turns:t.example:5349"], username: "1:x", credential: "y" };
  assert.equal(parseServerFrame(JSON.stringify(good), { maxBodyLength: 10 }).type, "turn");
  for (
    const bad of [
      { ...good, urls: ["https://evil.example"] },
      { ...good, urls: [] },
      { ...good, urls: Array(5).fill("turn:t.example") },
      { ...good, username: "u".repeat(200) },
      { ...good, extra: 1 },
    ]
  ) {
    assert.throws(() => parseServerFrame(JSON.stringify(bad), { maxBodyLength: 10 }));
  }
});
