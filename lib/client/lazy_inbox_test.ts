import assert from "node:assert/strict";
import { runWithout } from "../../tests/fixtures/missing_module.ts";

Deno.test("when the inbox's code cannot be fetched, a message is neither taken nor acknowledged, and one problem says part of the page did not load", async () => {
  const result = await runWithout(
    "lib/client/inbox.ts",
    "tests/fixtures/inbox_without_code.ts",
  ) as Record<string, unknown>;
  // Said once, though the fetch was tried again for the second frame.
  assert.deepEqual(result.problems, [
    [
      "load",
      "A message could not be opened because part of the page did not load: reload the page",
    ],
  ]);
  assert.deepEqual(result.messages, []);
  assert.equal(result.stored, false);
  assert.equal(result.ratchetUnchanged, true);
  // No receipt: its sender sends it again.
  assert.equal(result.sent, 0);
});
