import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";
import { END_WARNING_MS, endIsNear, EXTENSION_STEP_MS, proposedEnd } from "./extension_end.ts";

const created = "2026-11-27T10:00:00.000Z";
const at = (ms: number) => new Date(Date.parse(created) + ms).toISOString();
const HOUR = 3600_000;

Deno.test("an extension proposes one more day, capped at the maximum lifetime from creation", () => {
  assert.equal(
    proposedEnd({ createdAt: created, expiresAt: at(HOUR) }, 30 * 86400),
    at(HOUR + EXTENSION_STEP_MS),
  );
  assert.equal(proposedEnd({ createdAt: created, expiresAt: at(HOUR) }, 7200), at(2 * HOUR));
  assert.equal(proposedEnd({ createdAt: created, expiresAt: at(HOUR) }, 3600), null);
  assert.equal(proposedEnd({ createdAt: created, expiresAt: at(HOUR) }, 3630), null);
});

Deno.test("the end warning shows from an hour and five minutes before the end until it", () => {
  const end = Date.parse(at(10 * HOUR));
  assert.equal(endIsNear(at(10 * HOUR), end - END_WARNING_MS - 1), false);
  assert.equal(endIsNear(at(10 * HOUR), end - END_WARNING_MS), true);
  assert.equal(endIsNear(at(10 * HOUR), end - 1), true);
  assert.equal(endIsNear(at(10 * HOUR), end), false);
  assert.equal(END_WARNING_MS, 65 * 60_000);
});

Deno.test("a request is sent as an extend frame only, and a later extended frame moves the stored end", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const current = parts.state.conversation.expiresAt;
  const wanted = new Date(Date.parse(current) + EXTENSION_STEP_MS).toISOString();
  const extension = parts.router.extension;
  assert.equal(await extension.request(wanted), true);
  assert.deepEqual(socket.frames().at(-1), { type: "extend", expiresAt: wanted });
  assert.deepEqual(extension.view, { proposed: null, asked: wanted, error: null });
  socket.deliver({ type: "extended", expiresAt: wanted });
  await parts.settle();
  assert.equal(parts.state.conversation.expiresAt, wanted);
  const stored = await joiner.storage.getConversation(joiner.conversation.id);
  assert.equal(stored?.expiresAt, wanted);
  assert.deepEqual(extension.view, { proposed: null, asked: null, error: null });
});

Deno.test("a relay cannot shorten the end, and a request from the other side waits for an answer", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const current = parts.state.conversation.expiresAt;
  const earlier = new Date(Date.parse(current) - HOUR).toISOString();
  socket.deliver({ type: "extended", expiresAt: earlier });
  socket.deliver({ type: "extend_requested", expiresAt: earlier });
  await parts.settle();
  assert.equal(parts.state.conversation.expiresAt, current);
  assert.equal(parts.router.extension.view.proposed, null);
  const later = new Date(Date.parse(current) + HOUR).toISOString();
  socket.deliver({ type: "extend_requested", expiresAt: later });
  await parts.settle();
  assert.equal(parts.router.extension.view.proposed, later);
  const sentBefore = socket.frames().length;
  assert.equal(await parts.router.extension.accept(), true);
  assert.deepEqual(socket.frames().slice(sentBefore), [{ type: "extend", expiresAt: later }]);
});

Deno.test("a refusal from the server is shown in words and nothing changes", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  const current = parts.state.conversation.expiresAt;
  await parts.router.extension.request(new Date(Date.parse(current) + HOUR).toISOString());
  socket.deliver({ type: "error", code: "lifetime_too_long", message: "x" });
  await parts.settle();
  assert.deepEqual(parts.router.extension.view, {
    proposed: null,
    asked: null,
    error: "This server keeps conversations no longer than that.",
  });
  assert.equal(parts.state.conversation.expiresAt, current);
});

Deno.test("a request while the socket is down is not sent and says why", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const current = parts.state.conversation.expiresAt;
  assert.equal(
    await parts.router.extension.request(new Date(Date.parse(current) + HOUR).toISOString()),
    false,
  );
  assert.match(parts.router.extension.view.error ?? "", /online/);
});
