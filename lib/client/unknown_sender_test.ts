import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { MAX_WAITING } from "./unknown_sender.ts";

const SLOW_MS = 3_000;

/** A real server on 127.0.0.1 that answers the record only after `SLOW_MS`. */
function slowServer(answer: () => Response): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async () => {
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    return answer();
  });
}

Deno.test("message frames before the peer is known wait for a slow record read aside: the person's own write is not held, and the frames are then taken in order", async () => {
  const { creator, joiner, record } = await makeStoredPair();
  // This browser has not pinned the joiner yet (it missed `joined`).
  creator.conversation = { ...creator.conversation, peer: null };
  // The joiner came while this browser was away; the record says so only later.
  let current = { ...record, participants: [creator.participant] };
  const server = slowServer(() => Response.json({ conversation: current }));
  try {
    await using parts = new ClientParts(creator, {
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
    });
    const socket = await parts.online();
    assert.equal(parts.state.conversation.peer, null);
    current = record;
    const first = parts.state.ulid();
    const second = parts.state.ulid();
    for (const [id, text] of [[first, "one"], [second, "two"]]) {
      socket.deliver(
        await sealAs(joiner, { v: 2, type: "text", id, text, sentAt: 1, expiresIn: 0 }),
      );
    }
    const started = Date.now();
    await parts.outbox.write({ kind: "text", text: "Hi" }, parts.state.ulid());
    const waited = Date.now() - started;
    assert.ok(waited < SLOW_MS / 2, `the write waited ${waited} ms behind the record read`);
    await parts.settle();
    assert.deepEqual(parts.state.conversation.peer, joiner.participant);
    assert.deepEqual(
      parts.state.messages.filter((m) => m.direction === "in").map((m) => m.text),
      ["one", "two"],
    );
    assert.deepEqual(parts.state.problems, []);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a relay that floods frames from someone unknown gets them refused past the waiting bound, with one record read for them all", async () => {
  const { creator } = await makeStoredPair({ pinned: false });
  let reads = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async () => {
    reads++;
    await new Promise((resolve) => setTimeout(resolve, 300));
    return new Response("Service Unavailable", { status: 503 });
  });
  try {
    await using parts = new ClientParts(creator, {
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
    });
    const socket = await parts.online();
    const stranger = parts.state.ulid();
    for (let i = 0; i < MAX_WAITING + 10; i++) {
      socket.deliver({ type: "message", id: parts.state.ulid(), from: stranger, body: "AwA" });
    }
    await parts.settle();
    // The read for `ready`, and at most one for all the waiting frames.
    assert.ok(reads <= 2, `${reads} reads`);
    assert.equal(parts.state.conversation.peer, null);
    assert.ok(parts.state.problems.length > 0);
    assert.ok(parts.state.problems.every((p) => p.kind === "message"));
  } finally {
    await server.shutdown();
  }
});
