import assert from "node:assert/strict";
import { runWithout } from "../../tests/fixtures/missing_module.ts";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";

Deno.test("the extension's code is not needed to show a conversation: nothing is asked or refused until a frame or the person asks", async () => {
  const { joiner } = await makeStoredPair();
  await using parts = new ClientParts(joiner);
  const socket = await parts.online();
  // An error frame alone answers no request of this page, and fetches nothing.
  socket.deliver({ type: "error", code: "lifetime_too_long", message: "x" });
  await parts.settle();
  assert.deepEqual(parts.router.extension.view, { proposed: null, asked: null, error: null });
});

Deno.test("when the extension's code cannot be fetched, no request is sent, nothing moves, and the problem says part of the page did not load", async () => {
  const result = await runWithout(
    "lib/client/extension.ts",
    "tests/fixtures/extension_without_code.ts",
  ) as Record<string, unknown>;
  assert.equal(result.requested, false);
  assert.equal(result.extendSent, false);
  // The record's later end is read again at the next connect (see `peer_keys.ts`).
  assert.equal(result.endMoved, false);
  assert.deepEqual(result.view, { proposed: null, asked: null, error: null });
  assert.deepEqual(result.problems, ["load"]);
});
