/**
 * Call payloads through `openBody`, whose field checks the chat page fetches
 * only when the first call payload arrives: the first one is checked and
 * delivered all the same, and a malformed one is refused as before. The bodies are sealed as a peer would seal any
 * bytes, so a malformed payload reaches the receiver's checks.
 */
import assert from "node:assert/strict";
import { decodeBase64Url, encodeBase64Url, utf8 } from "../crypto/encoding.ts";
import { encodeEnvelope, messageAd } from "../crypto/envelope.ts";
import { sealMessage } from "../crypto/message.ts";
import { parsePayload } from "../crypto/payload.ts";
import { openState, sealState } from "../crypto/sealed_state.ts";
import { makeStoredPair, type StoredSide } from "../../tests/fixtures/stored_pair.ts";
import { ChannelError } from "./channel_state.ts";
import { openBody } from "./secure_channel.ts";
import { SDP } from "../../tests/fixtures/sdp.ts";

let counter = 0;
/** A call offer with a fresh ID. */
function offer(): Record<string, unknown> {
  counter++;
  return {
    v: 2,
    type: "call-offer",
    id: `01JGZ5Q3V0K8N9P2R4S6T7W${String(counter).padStart(3, "0")}`,
    call: encodeBase64Url(new Uint8Array(16).fill(7)),
    media: "audio",
    sdp: SDP,
    key: encodeBase64Url(new Uint8Array(32).fill(9)),
    frames: true,
    sentAt: 1767225600000,
  };
}

/** Seals `value` as JSON, unchecked, as `side` would seal a payload; its record moves on. */
async function sealJson(side: StoredSide, value: unknown): Promise<string> {
  const c = side.conversation;
  const peer = c.peer!;
  const state = await openState(c.wrappingKey, c.ratchet!, c.id);
  const ad = messageAd({
    conversationId: c.id,
    from: c.participantId,
    to: peer.id,
    fromSign: decodeBase64Url(c.bundle.sign),
    toSign: decodeBase64Url(peer.bundle.sign),
    handshake: c.handshake,
  });
  const sealed = await sealMessage(state, utf8(JSON.stringify(value)), ad);
  side.conversation = { ...c, ratchet: await sealState(c.wrappingKey, sealed.state, c.id) };
  return encodeBase64Url(encodeEnvelope({
    header: sealed.header,
    handshake: c.handshake,
    ciphertext: sealed.ciphertext,
  }));
}

// Runs first in this file, so the call checks are not loaded yet.
Deno.test("a call offer as the first payload of the session, before the call checks are loaded, is checked and delivered", async () => {
  const { creator, joiner } = await makeStoredPair();
  const first = offer();
  assert.throws(
    () => parsePayload(utf8(JSON.stringify(first))),
    /unsupported type "call-offer"/,
    "the call checks are not loaded yet",
  );
  const body = await sealJson(joiner, first);
  const opened = await openBody(creator.conversation, body);
  assert.deepEqual(opened.payload, first);
  // It completed the handshake like any first message.
  assert.notEqual(opened.conversation.ratchet, null);
  assert.equal(opened.conversation.prekeys, null);
  assert.deepEqual(parsePayload(utf8(JSON.stringify(first))), first, "loaded for good");
});

Deno.test("a malformed call payload is refused as failing verification, and the session goes on", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const malformed: Record<string, unknown>[] = [
    { ...offer(), sdp: "o=- no version line" },
    { ...offer(), media: "screen" },
    { ...offer(), extra: 1 },
    { ...offer(), key: undefined },
    { ...offer(), type: "call-hold" },
    { ...offer(), type: "call-ice", candidates: [{ candidate: "a=inject", sdpMid: "0" }] },
  ];
  for (const value of malformed) {
    const body = await sealJson(joiner, value);
    await assert.rejects(
      openBody(creator.conversation, body),
      (error) => error instanceof ChannelError && /failed verification/.test(error.message),
      JSON.stringify(value).slice(0, 80),
    );
  }
  // The session is unharmed: a well-formed offer sealed after them opens.
  const good = offer();
  const opened = await openBody(creator.conversation, await sealJson(joiner, good));
  assert.deepEqual(opened.payload, good);
});
