import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import type { Payload } from "../crypto/payload.ts";
import { FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";
import { declineFile } from "./file_decline.ts";
import { describeRefusal } from "./file_refusal.ts";

Deno.test("a declined file is kept as refused, its chunks go, a sealed refusal says declined, and later chunks are not kept", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator);
  const socket = await parts.online();
  const receive = (frame: Awaited<ReturnType<typeof sealAs>>) =>
    parts.state.serial(() => parts.inbox.receive(frame));
  const id = parts.state.ulid();
  const bytes = new Uint8Array(FILE_CHUNK_BYTES * 2);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const chunk = async (index: number) =>
    await sealAs(joiner, {
      v: 2,
      type: "chunk",
      id: parts.state.ulid(),
      file: id,
      index,
      data: encodeBase64Url(bytes.subarray(0, FILE_CHUNK_BYTES)),
      sentAt: 2,
    });
  await receive(
    await sealAs(joiner, {
      v: 2,
      type: "file",
      id,
      name: "holiday.mov",
      mime: "video/quicktime",
      size: bytes.length,
      chunks: 2,
      sha256: encodeBase64Url(digest),
      sentAt: 1,
      expiresIn: 0,
    }),
  );
  await receive(await chunk(0));
  const { state, courier } = parts;
  const forgotten: string[] = [];
  const forget = (fileId: string) => forgotten.push(fileId);
  assert.equal(await state.serial(() => declineFile({ state, courier, forget }, id)), true);
  // Declined once only; a text or an unknown ID is never declined.
  assert.equal(await state.serial(() => declineFile({ state, courier, forget }, id)), false);
  assert.equal(await state.serial(() => declineFile({ state, courier, forget }, "x")), false);
  await receive(await chunk(1));
  await parts.settle();
  const stored = await parts.stored(id);
  assert.equal(stored?.status, "refused");
  assert.equal(stored?.refusal, "declined");
  assert.equal(describeRefusal(stored!), "Declined by you.");
  assert.deepEqual(forgotten, [id]);
  assert.equal(await state.storage.countChunks(state.conversation.id, id), 0);
  const sent: Payload[] = [];
  for (const frame of socket.sends()) sent.push(await openAs(joiner, frame.body));
  const refusals = sent.filter((p) => p.type === "refusal" && p.file === id);
  assert.equal(refusals.length, 1);
  assert.equal(refusals[0].type === "refusal" && refusals[0].reason, "declined");
  assert.deepEqual(parts.state.problems, []);
});
