import assert from "node:assert/strict";
import { runWithout } from "../../tests/fixtures/missing_module.ts";

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
