/**
 * The inbox's code for an ID seen before (`seen_message.ts`) is fetched the
 * first time such an ID arrives. The first test runs before anything in this
 * file has loaded it; the last runs the inbox in a process where the fetch
 * fails.
 */
import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import type { FakeSocket } from "../../tests/fixtures/fake_socket.ts";
import { runWithout } from "../../tests/fixtures/missing_module.ts";
import {
  makeStoredPair,
  openAs,
  sealAs,
  type StoredSide,
} from "../../tests/fixtures/stored_pair.ts";
import type { TextPayload } from "../crypto/payload.ts";
import type { ServerFrame } from "../protocol/server_frames.ts";
import { hashBody } from "./resent.ts";

type MessageFrame = Extract<ServerFrame, { type: "message" }>;

function text(id: string, body: string): TextPayload {
  return { v: 2, type: "text", id, text: body, sentAt: 1_700_000_000_000, expiresIn: 0 };
}

/** The creator's parts, online, with a session the joiner can seal for. */
async function creatorOnline() {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const parts = new ClientParts(creator);
  const socket = await parts.online();
  const receive = (frame: MessageFrame) => parts.state.serial(() => parts.inbox.receive(frame));
  return { parts, socket, joiner, receive };
}

/** The types of the payloads sent so far, opened by `other`. */
async function sentTypes(socket: FakeSocket, other: StoredSide): Promise<string[]> {
  const types = [];
  for (const frame of socket.sends()) types.push((await openAs(other, frame.body)).type);
  return types;
}

// Runs first in this file, so the code for seen IDs is not loaded yet.
Deno.test("a message sealed again under a known ID, the first seen ID to arrive, is checked, kept once with its new body and acknowledged", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const id = parts.state.ulid();
  await receive(await sealAs(joiner, text(id, "Meet at the station")));
  const again = await sealAs(joiner, text(id, "Meet at the station"));
  await receive(again);
  await parts.settle();
  assert.deepEqual(parts.state.problems, []);
  assert.deepEqual(parts.state.messages.map((m) => m.text), ["Meet at the station"]);
  assert.equal((await parts.stored(id))?.bodyHash, await hashBody(again.body));
  assert.deepEqual(await sentTypes(socket, joiner), ["receipt", "receipt"]);
});

Deno.test("another payload under a known ID, checked by the fetched code, is refused as a substitute", async () => {
  const { parts, socket, joiner, receive } = await creatorOnline();
  await using _ = parts;
  const id = parts.state.ulid();
  const first = await sealAs(joiner, text(id, "Meet at the station"));
  await receive(first);
  await receive(await sealAs(joiner, text(id, "Meet at the harbour")));
  await parts.settle();
  assert.deepEqual(parts.state.problems.map((p) => p.message), [
    "A message arrived under another message's ID; rejected",
  ]);
  assert.deepEqual(parts.state.messages.map((m) => m.text), ["Meet at the station"]);
  assert.equal((await parts.stored(id))?.bodyHash, await hashBody(first.body));
  assert.deepEqual(await sentTypes(socket, joiner), ["receipt"]);
});

Deno.test("when the code for seen IDs cannot be fetched, a resend or a message sealed again is neither taken nor acknowledged, and a problem says part of the page did not load", async () => {
  const result = await runWithout(
    "lib/client/seen_message.ts",
    "tests/fixtures/seen_without_code.ts",
  ) as Record<string, unknown>;
  // Reported as a part that did not load, not as a failed check.
  assert.deepEqual(result.problems, [
    [
      "load",
      "A message could not be opened because part of the page did not load: reload the page",
    ],
  ]);
  assert.deepEqual(result.messages, ["Meet at the station"], "shown once, unchanged");
  assert.equal(result.firstBodyKept, true, "the new body was not taken");
  assert.equal(result.ratchetUnchanged, true, "the sealed-again message was not opened");
  // Only the first text's receipt: neither frame that came again is
  // acknowledged, so their sender sends them again.
  assert.equal(result.sendsBefore, 1);
  assert.deepEqual(result.sent, ["receipt"]);
});
