/**
 * A hostile relay, one attack per test: every attack on the protocol
 * is detected and shown to the user, and none is ever accepted.
 */
import "../lib/i18n/use_english.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeBase64Url, encodeBase64Url } from "../lib/crypto/encoding.ts";
import { FILE_CHUNK_BYTES } from "../lib/crypto/payload_limits.ts";
import {
  type FrameContext,
  type HostileRelay,
  startHostileRelay,
} from "./fixtures/hostile_relay.ts";
import { AdmissionError, fetchConversation } from "../lib/client/admission.ts";
import { verifyBundle } from "../lib/crypto/bundle.ts";
import { deriveAccessKey } from "../lib/crypto/invite.ts";
import { forgedCreatorBundle, impostorCreatorBundle, Peer, securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

const OTHER_ULID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";

/** Runs `fn` with a server, a relay in front of it, and a connected pair. */
async function withPair(
  fn: (
    relay: HostileRelay,
    pair: Awaited<ReturnType<typeof securePair>>,
  ) => Promise<void>,
) {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  await fn(relay, pair);
}

/** Runs `fn` with a server, a relay in front of it, and two people not yet admitted. */
async function withPeers(fn: (relay: HostileRelay, adam: Peer, eve: Peer) => Promise<void>) {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using adam = new Peer(relay.base);
  using eve = new Peer(relay.base);
  await fn(relay, adam, eve);
}

/** The next text message frame from one participant to the other, rewritten once. */
function rewriteNextMessage(
  relay: HostileRelay,
  from: string,
  rewrite: (frame: Record<string, unknown>, ctx: FrameContext) => unknown[],
) {
  let done = false;
  relay.frameAttack = (ctx) => {
    if (done || ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
    if (ctx.frame.from !== from) return;
    done = true;
    return rewrite(ctx.frame, ctx);
  };
}

function flipBit(body: string, index: number): string {
  const bytes = decodeBase64Url(body);
  bytes[index % bytes.length] ^= 0x01;
  return encodeBase64Url(bytes);
}

async function expectRejected(peer: Peer, what: string) {
  await waitFor(() => (peer.client?.view.problems.length ?? 0) > 0, `a warning for ${what}`);
  assert.equal(peer.client!.view.canSend, false, "sending pauses behind the warning");
}

Deno.test("a bit flip in any field of an envelope is detected and never shown", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    // version, flags, ratchet key, previous-chain length, message number, salt,
    // ciphertext, tag.
    const positions = [0, 1, 2, 20, 34, 38, 45, 57, 58, 100, -1];
    for (const [i, position] of positions.entries()) {
      rewriteNextMessage(relay, ids.adam, (frame) => {
        const bytes = decodeBase64Url(frame.body as string);
        const index = position < 0 ? bytes.length + position : position;
        return [{ ...frame, body: flipBit(frame.body as string, index) }];
      });
      const shown = eve.texts().length;
      await adam.client!.send(`tampered ${i}`);
      await expectRejected(eve, `a flip at byte ${position}`);
      assert.equal(eve.texts().length, shown, "nothing tampered is shown");
      eve.client!.acknowledgeProblems();
    }
    // The ratchet was never touched: the next genuine message still opens.
    relay.frameAttack = null;
    await adam.client!.send("genuine");
    await waitFor(() => eve.texts().includes("genuine"), "the genuine message");
    assert.ok(eve.texts().every((t) => !t.startsWith("tampered")));
  });
});

Deno.test("a bit flip in the handshake of the joiner's first message is detected", async () => {
  await withPeers(async (relay, adam, eve) => {
    const invite = await adam.create();
    await eve.join(adam.conversationId, invite);
    // Flags say a handshake follows; the KEM ciphertext starts after the
    // version, flags and 56-byte header (58 bytes) and the 32-byte ephemeral key.
    relay.frameAttack = (ctx) => {
      if (ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
      return [{ ...ctx.frame, body: flipBit(ctx.frame.body as string, 58 + 32 + 500) }];
    };
    await adam.start();
    await eve.start();
    await expectRejected(adam, "a tampered KEM ciphertext");
    assert.equal(adam.client!.view.secure, false, "no session from a tampered handshake");
  });
});

Deno.test("a truncated envelope is detected", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    rewriteNextMessage(relay, ids.adam, (frame) => [
      { ...frame, body: (frame.body as string).slice(0, 60) },
    ]);
    await adam.client!.send("cut short");
    await expectRejected(eve, "a truncated envelope");
    assert.deepEqual(eve.texts(), []);
  });
});

Deno.test("a message replayed under a new ID is rejected, under its own ID shown once", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    let captured: Record<string, unknown> | null = null;
    relay.frameAttack = (ctx) => {
      if (
        ctx.direction === "toClient" && ctx.frame.type === "message" && ctx.frame.from === ids.adam
      ) {
        captured ??= ctx.frame;
      }
      return undefined;
    };
    await adam.client!.send("say it once");
    await waitFor(() => eve.texts().length === 1, "the original");
    relay.broadcast(JSON.stringify(captured));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(eve.texts(), ["say it once"]);
    assert.deepEqual(eve.client!.view.problems, []);
    relay.broadcast(JSON.stringify({ ...captured!, id: OTHER_ULID }));
    await expectRejected(eve, "a replay under a new ID");
    assert.deepEqual(eve.texts(), ["say it once"]);
  });
});

Deno.test("a message replayed into another conversation is rejected", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using first = await securePair(relay.base);
  using second = await securePair(relay.base);
  let captured: Record<string, unknown> | null = null;
  relay.frameAttack = (ctx) => {
    if (
      ctx.direction === "toClient" && ctx.frame.type === "message" &&
      ctx.frame.from === first.ids.adam
    ) {
      captured ??= ctx.frame;
    }
    return undefined;
  };
  await first.adam.client!.send("for the first conversation only");
  await waitFor(() => first.eve.texts().length === 1, "the original");
  // Dressed as a message from the other conversation's Adam.
  relay.broadcast(JSON.stringify({ ...captured!, id: OTHER_ULID, from: second.ids.adam }));
  await expectRejected(second.eve, "a cross-conversation replay");
  assert.deepEqual(second.eve.texts(), []);
});

Deno.test("a message reflected to its sender is rejected", async () => {
  await withPair(async (relay, { adam, ids }) => {
    relay.frameAttack = (ctx) => {
      if (ctx.direction === "toServer" && ctx.frame.type === "send") {
        const reflected = { type: "message", id: OTHER_ULID, from: ids.eve, body: ctx.frame.body };
        ctx.toClient(JSON.stringify(reflected));
        ctx.toClient(JSON.stringify({ ...reflected, id: ctx.frame.id }));
      }
      return undefined;
    };
    await adam.client!.send("echo");
    await expectRejected(adam, "a reflection");
    assert.deepEqual(adam.texts(), ["echo"]);
    assert.equal(adam.client!.view.messages[0].direction, "out");
  });
});

Deno.test("reordered messages are all accepted and shown in the sender's order", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    let held: Record<string, unknown> | null = null;
    relay.frameAttack = (ctx) => {
      if (
        ctx.direction !== "toClient" || ctx.frame.type !== "message" || ctx.frame.from !== ids.adam
      ) {
        return;
      }
      if (held === null) {
        held = ctx.frame;
        return [];
      }
      relay.frameAttack = null;
      return [ctx.frame, held];
    };
    await adam.client!.send("one");
    await adam.client!.send("two");
    await waitFor(() => eve.texts().length === 2, "both messages");
    assert.deepEqual(eve.texts(), ["one", "two"]);
    assert.deepEqual(eve.client!.view.problems, []);
  });
});

Deno.test("a dropped message is never marked delivered, and arrives once when resent", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    let dropped = false;
    relay.frameAttack = (ctx) => {
      if (
        !dropped && ctx.direction === "toClient" && ctx.frame.type === "message" &&
        ctx.frame.from === ids.adam
      ) {
        dropped = true;
        return [];
      }
      return undefined;
    };
    await adam.client!.send("lost");
    await adam.client!.send("kept");
    await waitFor(() => eve.texts().includes("kept"), "the second message");
    await waitFor(() => adam.client!.view.messages[1].status === "delivered", "a receipt");
    assert.equal(adam.client!.view.messages[0].status, "sent", "the dropped one has no receipt");
    // When Eve comes back, Adam resends what has no receipt.
    eve.stop();
    await eve.start();
    await waitFor(() => eve.texts().includes("lost"), "the resent message");
    assert.deepEqual(eve.texts(), ["lost", "kept"]);
    await waitFor(() => adam.client!.view.messages[0].status === "delivered", "its receipt");
  });
});

/** Makes the relay present `bundle` as the creator's in every conversation record it serves. */
function swapCreatorBundle(relay: HostileRelay, bundle: unknown, seen: string[] = []) {
  relay.httpAttack = (path, body) => {
    seen.push(path);
    if (!/^\/api\/conversations\/[0-9A-Z]{26}$/.test(path)) return body;
    const record = (body as { conversation: { participants: { bundle: unknown }[] } })
      .conversation;
    record.participants[0].bundle = bundle;
    return body;
  };
}

Deno.test("a bundle swapped by the relay is refused and blocks sending", async () => {
  await withPeers(async (relay, adam, eve) => {
    const invite = await adam.create();
    await eve.join(adam.conversationId, invite);
    // The relay answers with keys of its own, signed by an access key of its own.
    swapCreatorBundle(relay, await forgedCreatorBundle());
    await eve.start();
    await waitFor(
      () => eve.client!.view.problems.some((p) => /not made with this invite/.test(p.message)),
      "the swapped-keys warning",
    );
    assert.equal(eve.client!.view.canSend, false);
    assert.equal(eve.client!.view.secure, false);
    await assert.rejects(() => eve.client!.send("anyone there?"), /blocked/);
  });
});

Deno.test("a relay that knows the invite secret and swaps the creator's bundle is refused before joining", async () => {
  await using server = await startTestServer();
  const relay = await startHostileRelay(server.base);
  const adam = new Peer(server.base);
  const eve = new Peer(relay.base);
  try {
    const invite = await adam.create();
    // Validly access-signed with the real secret: only the link's fingerprint can catch it.
    const impostor = await impostorCreatorBundle(invite.secret);
    assert.equal(
      await verifyBundle(impostor, (await deriveAccessKey(invite.secret)).publicKey),
      true,
    );
    const seen: string[] = [];
    swapCreatorBundle(relay, impostor, seen);
    await assert.rejects(
      () => eve.join(adam.conversationId, invite),
      (error: unknown) => {
        assert.ok(error instanceof AdmissionError);
        assert.equal(error.code, "wrong_keys");
        assert.match(error.message, /not the ones the invite link names; nothing was sent/);
        return true;
      },
    );
    assert.deepEqual(seen, [`/api/conversations/${adam.conversationId}`], "only the GET");
    assert.deepEqual(await eve.storage.listConversations(), [], "nothing kept");
    const record = await fetchConversation(server.base, adam.conversationId);
    assert.equal(record!.participants.length, 1, "nobody joined");
  } finally {
    await relay.close();
  }
});

Deno.test("a relay that knows the invite secret and swaps the creator's bundle after the join is refused at pinning", async () => {
  await withPeers(async (relay, adam, eve) => {
    const invite = await adam.create();
    // The join sees the true record; the swap comes when the client reads it again.
    await eve.join(adam.conversationId, invite);
    const stored = await eve.storage.getConversation(adam.conversationId);
    assert.equal(stored!.inviteFingerprint, encodeBase64Url(invite.fingerprint));
    swapCreatorBundle(relay, await impostorCreatorBundle(invite.secret));
    await eve.start();
    await waitFor(
      () =>
        eve.client!.view.problems.some((p) => /not the ones the invite link names/.test(p.message)),
      "the fingerprint warning",
    );
    assert.equal(eve.client!.view.canSend, false);
    assert.equal(eve.client!.view.secure, false);
    assert.equal(eve.client!.conversation.peer, null, "the impostor is never pinned");
    await assert.rejects(() => eve.client!.send("anyone there?"), /blocked/);
  });
});

Deno.test("a third participant injected by the relay is refused", async () => {
  await withPair(async (relay, { adam, eve }) => {
    const conversation = await eve.storage.getConversation(eve.conversationId);
    relay.broadcast(JSON.stringify({
      type: "joined",
      participant: { id: OTHER_ULID, bundle: conversation!.bundle },
    }));
    await expectRejected(adam, "a third participant");
    assert.match(adam.client!.view.problems[0].message, /third participant/);
  });
});

Deno.test("a downgrade to an older bundle version is refused", async () => {
  await withPeers(async (relay, adam, eve) => {
    const invite = await adam.create();
    relay.httpAttack = (path, body) => {
      if (!path.startsWith("/api/conversations/") || path.endsWith("/participants")) return body;
      const record = (body as {
        conversation: { participants: { bundle: Record<string, unknown> }[] };
      }).conversation;
      const { sign, dh, access } = record.participants[0].bundle;
      record.participants[0].bundle = { v: 1, sign, dh, access };
      return body;
    };
    await eve.join(adam.conversationId, invite);
    await eve.start();
    await waitFor(
      () => eve.client!.view.problems.some((p) => /downgrade/.test(p.message)),
      "the downgrade warning",
    );
    assert.equal(eve.client!.view.secure, false);
  });
});

Deno.test("an envelope downgraded to version 1 or 2 is refused", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    for (const version of [1, 2]) {
      rewriteNextMessage(relay, ids.adam, (frame) => {
        const bytes = decodeBase64Url(frame.body as string);
        bytes[0] = version;
        return [{ ...frame, body: encodeBase64Url(bytes) }];
      });
      await adam.client!.send(`old format ${version}`);
      await expectRejected(eve, `a version-${version} envelope`);
      assert.deepEqual(eve.texts(), []);
      eve.client!.acknowledgeProblems();
    }
  });
});

Deno.test("a message claiming to be from a stranger is refused", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    rewriteNextMessage(relay, ids.adam, (frame) => [{ ...frame, from: OTHER_ULID }]);
    await adam.client!.send("who am I");
    await expectRejected(eve, "a forged sender");
    assert.deepEqual(eve.texts(), []);
  });
});

Deno.test("hundreds of random and mutated frames from the relay change nothing in the client", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    await adam.client!.send("before the storm");
    await waitFor(() => eve.texts().length === 1, "the first message");
    let genuine: Record<string, unknown> | null = null;
    relay.frameAttack = (ctx) => {
      if (ctx.direction === "toClient" && ctx.frame.type === "message") genuine ??= ctx.frame;
      return undefined;
    };
    await adam.client!.send("a template");
    await waitFor(() => eve.texts().length === 2, "the template");
    const before = await eve.storage.getConversation(eve.conversationId);
    const frames = fc.sample(
      fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.record({
          type: fc.constant("message"),
          id: fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
          from: fc.constant(ids.adam),
          body: fc.uint8Array({ minLength: 0, maxLength: 600 }).map(encodeBase64Url),
        }).map((v) => JSON.stringify(v)),
        fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
          const bytes = decodeBase64Url(genuine!.body as string);
          bytes[at % bytes.length] ^= mask;
          return JSON.stringify({ ...genuine, id: OTHER_ULID, body: encodeBase64Url(bytes) });
        }),
      ),
      300,
    );
    for (const frame of frames) relay.broadcast(frame);
    // A last, genuine-looking ping proves the client processed the whole storm.
    relay.frameAttack = null;
    await adam.client!.send("after the storm");
    await waitFor(() => eve.texts().length === 3, "the message after", 10_000);
    assert.deepEqual(eve.texts(), ["before the storm", "a template", "after the storm"]);
    const after = await eve.storage.getConversation(eve.conversationId);
    assert.deepEqual(after!.peer, before!.peer, "the pinned peer is unchanged");
    assert.ok(eve.client!.view.problems.length > 0, "the attack was noticed");
  });
});

Deno.test("a server that answers a join with another conversation's ID is refused", async () => {
  await withPeers(async (relay, adam, eve) => {
    const kept = await eve.create();
    const keptId = eve.conversationId;
    const before = await eve.storage.getConversation(keptId);
    const invite = await adam.create();
    // The relay relabels the join answer with the conversation Eve already keeps.
    relay.httpAttack = (path, body) => {
      if (!path.endsWith("/participants")) return body;
      (body as { conversation: { id: string } }).conversation.id = keptId;
      return body;
    };
    await assert.rejects(() => eve.join(adam.conversationId, invite), /another conversation/);
    assert.deepEqual(await eve.storage.getConversation(keptId), before, "nothing overwritten");
    assert.equal(kept.secret.length, 32);
  });
});

Deno.test("a new message relabelled with a delivered message's ID is reported, not dropped", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    let firstId: string | null = null;
    relay.frameAttack = (ctx) => {
      if (
        ctx.direction !== "toClient" || ctx.frame.type !== "message" || ctx.frame.from !== ids.adam
      ) {
        return;
      }
      // The first message passes; the next one is hidden behind its ID.
      firstId ??= ctx.frame.id as string;
      return ctx.frame.id === firstId ? undefined : [{ ...ctx.frame, id: firstId }];
    };
    await adam.client!.send("first");
    await waitFor(() => eve.texts().length === 1, "the first message");
    await adam.client!.send("hidden");
    await expectRejected(eve, "a relabelled message");
    assert.deepEqual(eve.texts(), ["first"]);
  });
});

Deno.test("a relay cannot forge a refusal: a forged or replayed refusal frame is rejected and the file stays delivered", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    // Eve accepts files up to 10 bytes; the relay records what it carries to Adam.
    eve.preferences.maxFileBytes = 10;
    const toAdam: Record<string, unknown>[] = [];
    const fromAdam: string[] = [];
    relay.frameAttack = (ctx) => {
      if (ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
      if (ctx.frame.from === ids.eve) toAdam.push(ctx.frame);
      else fromAdam.push(ctx.frame.id as string);
      return undefined;
    };
    const status = (id: string) => adam.client!.view.messages.find((m) => m.id === id)?.status;
    const small = await adam.client!.sendFile(new Blob(["hello"]), "small.txt");
    await waitFor(() => status(small.id) === "delivered", "the accepted file's receipt");
    // The genuine refusal, sealed by Eve, goes through.
    const big = await adam.client!.sendFile(new Blob([new Uint8Array(100)]), "big.bin");
    await waitFor(() => status(big.id) === "refused", "Eve's refusal");
    const refused = adam.client!.view.messages.find((m) => m.id === big.id)!;
    assert.equal(refused.refusal, "too_large");
    assert.deepEqual(adam.client!.view.problems, []);
    // Eve's first frame after the announcement of big.bin is her refusal.
    const refusal = toAdam.at(-1)!;
    assert.ok(fromAdam.includes(big.id));

    // Forged: the refusal's bytes altered (say, to name small.txt) do not open.
    relay.broadcast(
      JSON.stringify({ ...refusal, id: OTHER_ULID, body: flipBit(refusal.body as string, 60) }),
    );
    await expectRejected(adam, "a forged refusal");
    assert.equal(status(small.id), "delivered");
    adam.client!.acknowledgeProblems();
    await waitFor(() => adam.client!.view.problems.length === 0, "the warning dismissed");

    // Replayed, under a new ID or its own: rejected like any replayed frame.
    for (const id of [OTHER_ULID.replace(/A$/, "B"), refusal.id]) {
      relay.broadcast(JSON.stringify({ ...refusal, id }));
      await expectRejected(adam, "a replayed refusal");
      assert.equal(status(small.id), "delivered");
      assert.equal(status(big.id), "refused");
      adam.client!.acknowledgeProblems();
      await waitFor(() => adam.client!.view.problems.length === 0, "the warning dismissed");
    }
  });
});

Deno.test("a relay cannot forge a cancel: bit-flipped or relabelled it cancels no file, and only the sender's own cancel stops its own file", async () => {
  await withPair(async (relay, { adam, eve, ids }) => {
    // Chunks are held back, so both files stay on their way.
    let hold = false;
    const held: Record<string, unknown>[] = [];
    relay.frameAttack = (ctx) => {
      if (ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
      if (ctx.frame.from !== ids.adam) return;
      if ((ctx.frame.body as string).length > 32_000) return [];
      if (!hold) return;
      held.push(ctx.frame);
      return [];
    };
    // Two whole chunks each: every chunk frame is a large one.
    const bytes = new Uint8Array(2 * FILE_CHUNK_BYTES).fill(7);
    const first = await adam.client!.sendFile(new Blob([bytes]), "first.bin");
    const second = await adam.client!.sendFile(new Blob([bytes]), "second.bin");
    const onEve = (id: string) => eve.client!.view.messages.find((m) => m.id === id);
    await waitFor(() => !!onEve(first.id) && !!onEve(second.id), "both announcements");
    hold = true;
    assert.equal(await adam.client!.cancelFile(first.id), true);
    await waitFor(() => held.length > 0, "adam's cancel, held by the relay");
    const [cancel] = held;
    const cancelled = () => [onEve(first.id)?.file?.cancelled, onEve(second.id)?.file?.cancelled];

    relay.broadcast(JSON.stringify({ ...cancel, body: flipBit(cancel.body as string, 200) }));
    await expectRejected(eve, "a bit-flipped cancel");
    relay.broadcast(JSON.stringify({ ...cancel, id: OTHER_ULID }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(cancelled(), [undefined, undefined], "no forged cancel took effect");
    assert.equal(onEve(first.id)?.status, "receiving");

    // The real one, as sealed by adam, cancels the file it names and no other.
    relay.broadcast(JSON.stringify(cancel));
    await waitFor(() => onEve(first.id)?.file?.cancelled === "peer", "the real cancel");
    assert.deepEqual(cancelled(), ["peer", undefined]);
  });
});
