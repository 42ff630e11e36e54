/**
 * The refusal steps the inbox fetches (`lazy_refusal.ts`) the first time a
 * file is refused here or a refusal arrives. Nothing in this file imports
 * `file_refusal.ts`, so the first test runs before it is loaded; the last
 * runs the inbox in a process where the fetch fails.
 */
import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, message } from "../../tests/fixtures/client_parts.ts";
import { runWithout } from "../../tests/fixtures/missing_module.ts";
import { makeStoredPair, sealAs } from "../../tests/fixtures/stored_pair.ts";

// Runs first in this file, so the refusal code is not loaded yet.
Deno.test("a sealed refusal, the first to arrive, marks this side's file not accepted", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  await parts.online();
  const fileId = parts.state.ulid();
  await parts.state.insert(message(creator, fileId, {
    direction: "out",
    kind: "file",
    text: "",
    status: "sent",
    file: {
      name: "big.bin",
      mime: "application/octet-stream",
      size: 2000,
      sha256: "A".repeat(43),
      chunks: 1,
      received: 0,
    },
  }));
  const refusal = await sealAs(joiner, {
    v: 2,
    type: "refusal",
    id: parts.state.ulid(),
    file: fileId,
    reason: "no_space",
    sentAt: 1,
  });
  await parts.state.serial(() => parts.inbox.receive(refusal));
  await parts.settle();
  const stored = await parts.stored(fileId);
  assert.equal(stored?.status, "refused");
  assert.equal(stored?.refusal, "no_space");
  assert.deepEqual(parts.state.problems, []);
});

Deno.test("when the refusal code cannot be fetched, a file above the limit is still kept as refused, not acknowledged, and a problem shows", async () => {
  const result = await runWithout(
    "lib/client/file_refusal.ts",
    "tests/fixtures/refusal_without_code.ts",
  ) as Record<string, unknown>;
  // Kept as refused, never as a file to receive.
  assert.equal(result.status, "refused");
  assert.equal(result.refusal, "too_large");
  // No delivery receipt: its sender sends the announcement again, and
  // the refusal is said then.
  assert.deepEqual(result.sent, []);
  // As for any error of that step: the failed fetch, in words.
  assert.equal((result.problems as string[]).length, 1);
  assert.match((result.problems as string[])[0], /^Something went wrong: .*missing\.ts/);
});
