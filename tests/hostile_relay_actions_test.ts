/**
 * The hostile relay against message actions (reactions, edits, deletes):
 * it can drop or repeat their frames, but cannot forge, replay or
 * redirect one so that it changes a message. Part of the hostile-relay
 * suite (`hostile_relay_test.ts`), same fixtures.
 */
import assert from "node:assert/strict";
import { decodeBase64Url, encodeBase64Url } from "../lib/crypto/encoding.ts";
import type { StoredMessage } from "../lib/client/storage.ts";
import { type HostileRelay, startHostileRelay } from "./fixtures/hostile_relay.ts";
import { type Peer, securePair } from "./fixtures/peer.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

const OTHER_ULID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";
const MADE_UP_ULID = "01JD3Q8Z5V4T6N2M8K0P9R7S1B";

type Frame = Record<string, unknown>;

/** A server, a relay in front of it, a secure pair, and a text of Adam's Eve has. */
async function withText(
  fn: (
    relay: HostileRelay,
    adam: Peer,
    eve: Peer,
    ids: { adam: string; eve: string },
    id: string,
  ) => Promise<void>,
) {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const { adam, eve, ids } = pair;
  const sent = await adam.client!.send("original");
  await waitFor(() => eve.texts().includes("original"), "the original on Eve's side");
  await fn(relay, adam, eve, ids, sent.id);
}

/**
 * Keeps every frame from `from` to the other client, in order, and passes
 * it on; `replay` sends a frame to that client only.
 */
function capture(relay: HostileRelay, from: string) {
  const frames: Frame[] = [];
  let toClient: ((text: string) => void) | null = null;
  relay.frameAttack = (ctx) => {
    if (ctx.direction === "toClient" && ctx.frame.type === "message" && ctx.frame.from === from) {
      frames.push(ctx.frame);
      toClient = ctx.toClient;
    }
    return undefined;
  };
  return { frames, replay: (frame: Frame) => toClient!(JSON.stringify(frame)) };
}

function shown(peer: Peer, id: string): StoredMessage | undefined {
  return peer.client?.view.messages.find((m) => m.id === id);
}

async function expectWarning(peer: Peer, what: string) {
  await waitFor(() => (peer.client?.view.problems.length ?? 0) > 0, `a warning for ${what}`);
  assert.equal(peer.client!.view.canSend, false, "sending pauses behind the warning");
}

function flipLastByte(body: string): string {
  const bytes = decodeBase64Url(body);
  bytes[bytes.length - 1] ^= 0x01;
  return encodeBase64Url(bytes);
}

Deno.test("a relay cannot forge a reaction, an edit or a delete: tampered or made-up ones change nothing", async () => {
  await withText(async (relay, adam, eve, ids, id) => {
    const actions: [string, () => Promise<void>][] = [
      ["a reaction", () => adam.client!.react(id, "👍")],
      ["an edit", () => adam.client!.edit(id, "changed")],
      ["a delete", () => adam.client!.deleteForBoth(id)],
    ];
    for (const [what, act] of actions) {
      // Adam's genuine frame is swapped for a tampered copy.
      let done = false;
      relay.frameAttack = (ctx) => {
        if (done || ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
        if (ctx.frame.from !== ids.adam) return;
        done = true;
        return [{ ...ctx.frame, body: flipLastByte(ctx.frame.body as string) }];
      };
      await act();
      await expectWarning(eve, `a tampered ${what}`);
      const message = shown(eve, id);
      assert.equal(message?.text, "original", `${what} tampered with changes nothing`);
      assert.equal(message?.reactions, undefined);
      assert.equal(message?.deleted, undefined);
      eve.client!.acknowledgeProblems();
    }
    // A payload the relay writes itself, as the body of a frame "from" Adam.
    relay.frameAttack = () => [];
    const forged = { v: 2, type: "delete", id: MADE_UP_ULID, target: id, sentAt: Date.now() };
    const body = encodeBase64Url(new TextEncoder().encode(JSON.stringify(forged)));
    relay.broadcast(JSON.stringify({ type: "message", id: MADE_UP_ULID, from: ids.adam, body }));
    await expectWarning(eve, "a made-up delete");
    assert.equal(shown(eve, id)?.text, "original");
    assert.equal(shown(eve, id)?.deleted, undefined);
  });
});

Deno.test("a reaction, an edit or a delete replayed by the relay applies once, never undoing a later one", async () => {
  await withText(async (relay, adam, eve, ids, id) => {
    const { frames, replay } = capture(relay, ids.adam);
    await adam.client!.react(id, "👍");
    await adam.client!.react(id, "❤️");
    await adam.client!.edit(id, "second");
    await adam.client!.edit(id, "third");
    await waitFor(
      () => shown(eve, id)?.text === "third" && shown(eve, id)?.reactions?.in?.emoji === "❤️",
      "the latest reaction and edit",
    );
    const [thumbs, , second] = frames;
    replay(thumbs);
    replay(second);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(shown(eve, id)?.reactions?.in?.emoji, "❤️");
    assert.equal(shown(eve, id)?.text, "third");
    assert.deepEqual(eve.client!.view.problems, []);
    await adam.client!.deleteForBoth(id);
    await waitFor(() => shown(eve, id)?.deleted === "both", "the delete");
    replay(frames.at(-1)!);
    replay(second);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(shown(eve, id)?.deleted, "both");
    assert.equal(shown(eve, id)?.text, "");
    assert.deepEqual(eve.client!.view.problems, []);
  });
});

Deno.test("an edit replayed under a new ID, or reflected to its sender, is refused", async () => {
  await withText(async (relay, adam, eve, ids, id) => {
    const { frames, replay } = capture(relay, ids.adam);
    await adam.client!.edit(id, "edited once");
    await waitFor(() => shown(eve, id)?.text === "edited once", "the edit");
    replay({ ...frames[0], id: OTHER_ULID });
    await expectWarning(eve, "an edit under a new ID");
    assert.equal(shown(eve, id)?.text, "edited once");
    // Back to its own writer, as if the other person had sent it.
    const reflected = { ...frames[0], from: ids.eve };
    relay.broadcast(JSON.stringify(reflected));
    await expectWarning(adam, "a reflected edit");
    assert.equal(shown(adam, id)?.text, "edited once");
  });
});

Deno.test("an edit the relay passes before the text it changes waits for it without a warning and applies when the text comes: both sides show the edit", async () => {
  await using server = await startTestServer();
  await using relay = await startHostileRelay(server.base);
  using pair = await securePair(relay.base);
  const { adam, eve, ids } = pair;
  // The relay holds Adam's next message back (and every resend of it).
  let held: Frame | null = null;
  let toEve: ((text: string) => void) | null = null;
  relay.frameAttack = (ctx) => {
    if (ctx.direction !== "toClient" || ctx.frame.type !== "message") return;
    if (ctx.frame.from !== ids.adam) return;
    toEve = ctx.toClient;
    held ??= ctx.frame;
    if (ctx.frame.id === held.id) return [];
  };
  const text = await adam.client!.send("first version");
  await waitFor(() => held !== null, "the text held by the relay");
  await adam.client!.edit(text.id, "second version");
  const early = async () =>
    (await eve.storage.listMessages(eve.conversationId)).some((m) => m.kind === "action");
  await waitFor(early, "the early edit kept at Eve");
  // Kept without a warning: its text may still come.
  assert.deepEqual(eve.client!.view.problems, []);
  relay.frameAttack = null;
  toEve!(JSON.stringify(held));
  await waitFor(() => eve.texts().length === 1, "the text at Eve");
  assert.deepEqual(eve.texts(), ["second version"]);
  assert.deepEqual(adam.texts(), ["second version"]);
  assert.ok(eve.client!.view.messages[0].edited, "shown as edited");
  assert.deepEqual(eve.client!.view.problems, []);
});
