/**
 * The relay's fast path for `send` and `ack` frames, through a real server
 * and real sockets: frames in the client's spelling arrive as the exact text
 * `JSON.stringify` would write, frames in any other spelling are relayed as
 * before by the full parser, and malformed ones are refused with the
 * parser's own error.
 */
import assert from "node:assert/strict";
import { admitPair } from "../bench/relay_driver.ts";
import { createBundle } from "../lib/crypto/bundle.ts";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { generateIdentity } from "../lib/crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../lib/crypto/invite.ts";
import { authenticatedSocket, expectClosedWith, type RawSocket } from "./fixtures/raw_socket.ts";
import { startTestServer } from "./fixtures/server.ts";

const ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";

/** The raw text of the next frame `raw` receives. */
function nextText(raw: RawSocket): Promise<string> {
  return new Promise((resolve) => {
    raw.socket.addEventListener("message", (event) => resolve(event.data), { once: true });
  });
}

/** A send frame carrying the message frame `{ id: ID, from, body }` for `to`. */
function carried(to: string, from: string, text: string): string {
  const frame = { type: "message", id: ID, from, body: text };
  return JSON.stringify({ type: "send", to, frame });
}

function body(bytes: number): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

Deno.test({
  name: "the scanner's send and ack reach the peer as the exact frames JSON.stringify writes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const [adam, eve] = await admitPair(server.base);
    await using a = await authenticatedSocket(server.base, adam);
    await using e = await authenticatedSocket(server.base, eve);
    await a.next(); // eve's presence
    for (const size of [0, 1, 2, 48, 768, 12_288, 40_000]) {
      const text = body(size);
      const message = JSON.stringify({
        type: "message",
        id: ID,
        from: adam.participantId,
        body: text,
      });
      const received = nextText(e);
      a.send(JSON.stringify({ type: "send", id: ID, to: eve.participantId, body: text }));
      assert.equal(await received, message);
      // As browsers write it: the send carries the message frame, passed on as it is.
      const passedOn = nextText(e);
      a.send(`{"type":"send","to":"${eve.participantId}","frame":${message}}`);
      assert.equal(await passedOn, message);
      const acked = nextText(a);
      e.send(JSON.stringify({ type: "ack", id: ID, to: adam.participantId }));
      assert.equal(
        await acked,
        JSON.stringify({ type: "ack", id: ID, from: eve.participantId }),
      );
      e.frames.length = 0;
      a.frames.length = 0;
    }
  },
});

Deno.test({
  name: "the scanner leaves other spellings of a send to the parser, which relays them as before",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const [adam, eve] = await admitPair(server.base);
    await using a = await authenticatedSocket(server.base, adam);
    await using e = await authenticatedSocket(server.base, eve);
    await a.next(); // eve's presence
    const to = eve.participantId;
    const expected = JSON.stringify({
      type: "message",
      id: ID,
      from: adam.participantId,
      body: "AQID",
    });
    for (
      const spelling of [
        JSON.stringify({ to, body: "AQID", type: "send", id: ID }),
        `{ "type": "send", "id": "${ID}", "to": "${to}", "body": "AQID" }`,
        `{"type":"send","id":"${ID}","to":"${to}","body":"\\u0041QID"}`,
        `{"type":"send","id":"${ID}","to":"${to}","body":"AQID"}\n`,
        `{"type":"send","to":"${to}","frame":${expected}}\n`,
        `{"type":"send","frame":${expected},"to":"${to}"}`,
        `{"type":"send","to":"${to}","frame":${expected.replace(/,/g, ", ")}}`,
      ]
    ) {
      const received = nextText(e);
      a.send(spelling);
      assert.equal(await received, expected, spelling);
      e.frames.length = 0;
    }
  },
});

Deno.test({
  name: "the scanner refuses nothing itself: a malformed send gets the parser's error and 1008",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const [adam, eve] = await admitPair(server.base);
    const to = eve.participantId;
    const cases: [string, string][] = [
      [`{"type":"send","id":"${ID}","to":"${to}","body":"AR"}`, "not canonical base64url"],
      [`{"type":"send","id":"${ID}","to":"${to}","body":"AAAAA"}`, "invalid length 5"],
      [`{"type":"send","id":"${ID}","to":"${to}","body":"AA=="}`, "only unpadded base64url"],
      [`{"type":"send","id":"${ID}","to":"${to}","body":"AA A"}`, "only unpadded base64url"],
      [`{"type":"send","id":"${ID.toLowerCase()}","to":"${to}","body":"AAAA"}`, "message ID"],
      [`{"type":"send","id":"${ID}","to":"${to}I","body":"AAAA"}`, "recipient ID"],
      [`{"type":"send","id":"${ID}","to":"${to}","body":1}`, "expected a string"],
      [`{"type":"send","id":"${ID}","to":"${to}","body":"AAAA","x":1}`, 'unexpected field "x"'],
      [`{"type":"ack","id":"${ID}","to":"${to}","body":"AAAA"}`, 'unexpected field "body"'],
      [`{"type":"send","id":"${ID}","to":"${to}","body":"AAAA"`, "not JSON"],
      [carried(to, adam.participantId, "AR"), "not canonical base64url"],
      [carried(to, adam.participantId, "AAAA").replace('"message"', '"ack"'), 'type "message"'],
      [carried(to, "01JD3Q8Z5V4T6N2M8K0P9R7S1", "AAAA"), "sender ID"],
      // The sender's word for who sent it is checked, never passed on.
      [carried(to, to, "AAAA"), "from its sender"],
      [carried(to, ID, "AAAA"), "from its sender"],
      [carried(to, ID, "AAAA").replace(":", ": "), "from its sender"],
    ];
    await using e = await authenticatedSocket(server.base, eve);
    for (const [frame, message] of cases) {
      await using a = await authenticatedSocket(server.base, adam);
      a.send(frame);
      let error: Record<string, unknown>;
      do error = await a.next(); while (error.type !== "error");
      assert.equal(error.code, "bad_frame", frame);
      assert.ok((error.message as string).includes(message), `${frame}: ${error.message}`);
      a.frames.unshift(error);
      await expectClosedWith(a, "bad_frame");
    }
    assert.ok(!server.logs.some((line) => line.includes("socket_failed")));
    // A frame sent now reaches Eve after any the relay passed on before it.
    await using a = await authenticatedSocket(server.base, adam);
    const last = nextText(e);
    a.send(carried(to, adam.participantId, "AQID"));
    assert.equal(JSON.parse(await last).body, "AQID");
    const relayed = e.frames.filter((frame) => (frame as { type: string }).type === "message");
    assert.equal(relayed.length, 1, "nothing else is relayed");
  },
});

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201);
  return await response.json();
}

/** The next `error` frame `raw` receives, past any other. */
async function nextError(raw: RawSocket): Promise<Record<string, unknown>> {
  let frame: Record<string, unknown>;
  do frame = await raw.next(); while (frame.type !== "error");
  return frame;
}

Deno.test({
  name:
    "a socket open before the other person joined is told its frames have no recipient, and relays them once they join",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const access = await deriveAccessKey(generateInviteSecret());
    const [first, second] = await Promise.all([generateIdentity(), generateIdentity()]);
    const created = await postJson(`${server.base}/api/conversations`, {
      accessKey: encodeBase64Url(access.publicKey),
      bundle: await createBundle(first, access.privateKey),
      lifetime: 3600,
    });
    const conversationId = (created.conversation as { id: string }).id;
    const adam = {
      conversationId,
      participantId: created.participantId as string,
      signingKey: first.signing.privateKey,
    };
    await using a = await authenticatedSocket(server.base, adam);
    // Alone in the conversation, a frame to anyone has no recipient, in either spelling.
    const OTHER = "01JD3Q8Z5W0000000000000000";
    for (const to of [OTHER, adam.participantId]) {
      a.send(carried(to, adam.participantId, "AQID"));
      assert.equal((await nextError(a)).code, "unknown_recipient", to);
      a.send(JSON.stringify({ type: "send", id: ID, to, body: "AQID" }));
      assert.equal((await nextError(a)).code, "unknown_recipient", to);
    }
    const joined = await postJson(
      `${server.base}/api/conversations/${conversationId}/participants`,
      { bundle: await createBundle(second, access.privateKey) },
    );
    const eve = {
      conversationId,
      participantId: joined.participantId as string,
      signingKey: second.signing.privateKey,
    };
    await using e = await authenticatedSocket(server.base, eve);
    const message = JSON.stringify({
      type: "message",
      id: ID,
      from: adam.participantId,
      body: "AQID",
    });
    for (let n = 0; n < 3; n++) {
      const received = nextText(e);
      a.send(carried(eve.participantId, adam.participantId, "AQID"));
      assert.equal(await received, message);
      e.send(JSON.stringify({ type: "ack", id: ID, to: adam.participantId }));
      // Adam may first hear that Eve joined and came online.
      let ack: Record<string, unknown>;
      do ack = await a.next(); while (ack.type !== "ack");
      assert.deepEqual(ack, { type: "ack", id: ID, from: eve.participantId });
    }
    // Someone else is still no one.
    a.send(carried(OTHER, adam.participantId, "AQID"));
    assert.equal((await nextError(a)).code, "unknown_recipient");
  },
});
