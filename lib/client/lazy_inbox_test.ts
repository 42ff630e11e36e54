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

Deno.test("when the code that opens messages cannot be fetched during a session reset, the message is not taken and the problem says part of the page did not load", async () => {
  const result = await runWithout(
    "lib/client/channel_code.ts",
    "tests/fixtures/reset_inbox_without_code.ts",
    "tests/fixtures/channel_code_unreachable.ts",
  ) as { resetting: boolean; problems: string[]; messages: number };
  assert.equal(result.resetting, true);
  // Not dropped in silence as a message of the replaced session would be.
  assert.deepEqual(result.problems, ["load"]);
  assert.equal(result.messages, 0);
});
