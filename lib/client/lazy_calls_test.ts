import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import type { CallPayload } from "../crypto/payload_call.ts";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";
import { STALE_OFFER_MS } from "./calls.ts";

const CALL = "c".repeat(22);

Deno.test("call payloads that come before the call code waits in order: the offer rings and its candidates are kept", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  try {
    assert.equal(parts.calls.ringing, null);
    const offer = {
      v: 2,
      id: parts.state.ulid(),
      sentAt: Date.now(),
      type: "call-offer",
      call: CALL,
      media: "video",
      sdp: "v=0\r\n",
      key: "k".repeat(43),
      frames: true,
    } as CallPayload;
    const ice = {
      v: 2,
      id: parts.state.ulid(),
      sentAt: Date.now(),
      type: "call-ice",
      call: CALL,
      candidates: [],
    } as unknown as CallPayload;
    // Both before the code has loaded: neither is lost, and they stay in order.
    parts.calls.receive(offer);
    parts.calls.receive(ice);
    const calls = await parts.calls.load();
    await Promise.resolve();
    assert.equal(parts.calls.ringing, "video");
    const { incoming } = calls.listen(() => {});
    assert.equal(incoming?.offer.call, CALL);
    assert.deepEqual(incoming?.ice.map((p) => p.type), ["call-ice"]);
    assert.equal(parts.calls.ringing, null, "taken by the panel");
  } finally {
    parts.calls.stop();
  }
});

Deno.test("the TURN credentials given before the call code loads reach it", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const turn = { urls: ["turn:127.0.0.1:3478"], username: "u", credential: "c" };
  parts.calls.setTurn(turn);
  const calls = await parts.calls.load();
  assert.deepEqual(calls.route(), {
    iceServers: [{ urls: turn.urls, username: "u", credential: "c" }],
    relayOnly: true,
  });
  assert.match(parts.calls.whyNot() ?? "", /online/);
});

Deno.test("a call offer the relay held back past the stale limit does not ring and sends nothing: it is kept as a missed call", async () => {
  const { joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  try {
    const calls = await parts.calls.load();
    const offer = (sentAt: number, call: string) =>
      ({
        v: 2,
        id: parts.state.ulid(),
        sentAt,
        type: "call-offer",
        call,
        media: "audio",
        sdp: "v=0\r\n",
        key: "k".repeat(43),
        frames: true,
      }) as CallPayload;
    const sent = socket.frames().length;
    calls.receive(offer(Date.now() - STALE_OFFER_MS - 1000, CALL));
    await parts.settle();
    assert.equal(parts.calls.ringing, null);
    assert.equal(socket.frames().length, sent, "no ring, no busy");
    const history = await parts.state.storage.listMessages(parts.state.conversation.id);
    assert.deepEqual(history.filter((m) => m.kind === "call").map((m) => m.direction), ["in"]);
    // A fresh one rings as before.
    calls.receive(offer(Date.now() - 5000, "d".repeat(22)));
    assert.equal(parts.calls.ringing, "audio");
  } finally {
    parts.calls.stop();
  }
});
