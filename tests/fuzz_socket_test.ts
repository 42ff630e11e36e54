/**
 * Fuzzing the relay socket with fast-check: random and mutated frames before
 * and after authentication. Every bad frame gets an error frame and close code
 * 1008 or 1009, never 1011; the server keeps relaying, and the data directory
 * never changes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { admitPair, type Participant } from "../bench/relay_driver.ts";
import { answerChallenge, RawSocket } from "./fixtures/raw_socket.ts";
import { snapshotDir, startTestServer } from "./fixtures/server.ts";

function mutate(text: string, at: number, kind: number, char: string): string {
  const i = at % (text.length + 1);
  if (kind === 0) return text.slice(0, i) + char + text.slice(i + 1);
  if (kind === 1) return text.slice(0, i) + char + text.slice(i);
  return text.slice(0, i) + text.slice(i + 1);
}

/** Frames of every kind: random text, random JSON, mutated valid frames, binary. */
function frames(self: Participant, peer: Participant) {
  const valid = [
    JSON.stringify({
      type: "send",
      id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A",
      to: peer.participantId,
      body: "AAAA",
    }),
    JSON.stringify({ type: "ack", id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A", to: peer.participantId }),
    JSON.stringify({ type: "auth", participantId: self.participantId, signature: "A".repeat(86) }),
  ];
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({
      type: fc.constantFrom("send", "ack", "auth", "delete", "ping", "message"),
      id: fc.oneof(fc.string({ maxLength: 30 }), fc.constant("01JD3Q8Z5V4T6N2M8K0P9R7S1A")),
      to: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(peer.participantId)),
      body: fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.constant(null)),
    }, { requiredKeys: ["type"] }).map((v) => JSON.stringify(v)),
    fc.tuple(
      fc.constantFrom(...valid),
      fc.nat(),
      fc.integer({ min: 0, max: 2 }),
      fc.string({
        maxLength: 2,
      }),
    ).map(([text, at, kind, char]) => mutate(text, at, kind, char)),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => new Uint8Array(bytes)),
    fc.constant("x".repeat(140_000)),
  );
}

/** Errors that leave the socket open; every other error closes it. */
const SOFT_ERRORS = ["unknown_recipient", "peer_offline"];

/**
 * Sends one frame and waits for its answer: "open" when it was relayed,
 * answered by a soft error or (an acknowledgement to an offline peer) not
 * answered at all within `quietMs`; else the close code that followed the
 * error. Before auth every frame is answered, so there `quietMs` is long: a
 * slow machine cannot make a refused frame look accepted.
 */
async function exchange(
  raw: RawSocket,
  frame: string | Uint8Array<ArrayBuffer>,
  quietMs = 250,
): Promise<"open" | number> {
  raw.socket.send(frame);
  const deadline = Date.now() + quietMs;
  while (raw.frames.length === 0 && raw.socket.readyState === WebSocket.OPEN) {
    if (Date.now() > deadline) return "open";
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const answer = raw.frames.shift() as Record<string, unknown> | undefined ?? null;
  if (answer !== null && (answer.type !== "error" || SOFT_ERRORS.includes(answer.code as string))) {
    return "open";
  }
  return (await raw.closed).code;
}

/** True for a frame the server must obey: the only one that changes DATA_DIR. */
function isDelete(frame: string | Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof frame === "string" && JSON.parse(frame)?.type === "delete";
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "random frames before and after auth get 1008 or 1009, never crash the relay or touch DATA_DIR",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startTestServer();
    const [adam, eve] = await admitPair(server.base);
    const files = await snapshotDir(server.dataDir);

    // Before auth: anything but a valid auth frame is refused.
    await fc.assert(
      fc.asyncProperty(frames(adam, eve), async (frame) => {
        const raw = await RawSocket.open(server.base, adam.conversationId);
        await raw.next(); // the challenge
        const result = await exchange(raw, frame, 10_000);
        assert.ok(result === 1008 || result === 1009, `closed with ${result}`);
      }),
      { numRuns: 120 },
    );

    // After auth: a run of frames, each answered or refused, never a 1011.
    await fc.assert(
      fc.asyncProperty(
        fc.array(frames(adam, eve).filter((f) => !isDelete(f)), { minLength: 1, maxLength: 5 }),
        async (run) => {
          await using raw = await RawSocket.open(server.base, adam.conversationId);
          await answerChallenge(raw, adam);
          assert.equal((await raw.next()).type, "ready");
          for (const frame of run) {
            const result = await exchange(raw, frame);
            if (result === "open") continue;
            assert.ok(result === 1008 || result === 1009, `closed with ${result}`);
            return;
          }
        },
      ),
      { numRuns: 80 },
    );

    assert.deepEqual(await snapshotDir(server.dataDir), files);
    assert.ok(!server.logs.some((line) => line.includes("socket_failed")), "no internal error");
    // The relay still works for the real participants.
    await using a = await RawSocket.open(server.base, adam.conversationId);
    await answerChallenge(a, adam);
    await a.next();
    await using e = await RawSocket.open(server.base, eve.conversationId);
    await answerChallenge(e, eve);
    await e.next();
    await a.next(); // Eve's presence
    a.send({ type: "send", id: "01JD3Q8Z5V4T6N2M8K0P9R7S1A", to: eve.participantId, body: "AAAA" });
    assert.equal((await e.next()).type, "message");
  },
});
