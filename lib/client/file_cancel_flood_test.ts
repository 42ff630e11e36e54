import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, message } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { describeFile } from "./file_info.ts";
import { inFlight, MAX_IN_FLIGHT } from "./in_flight.ts";

const FAST = { perSecond: 1_000_000, burst: 1_000_000 };

Deno.test("a relay that floods presence flips while a cancel waits for its receipt gets at most the in-flight bound of cancels sealed, and the peer's receipt for one tells the file", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  await using parts = new ClientParts(creator, { sendRate: FAST });
  const socket = await parts.online();
  const info = await describeFile(new Blob([new Uint8Array(100_000)]), "report.pdf", 1 << 20);
  const id = parts.state.ulid();
  await parts.state.insert(
    message(creator, id, { kind: "file", text: "", status: "receiving", file: info }),
  );
  assert.equal(await parts.state.serial(() => parts.files.cancels.cancel(id)), true);
  await parts.settle();
  const before = socket.sends().length;
  // Every flip starts a new resend epoch; the relay drops every cancel.
  for (let i = 0; i < MAX_IN_FLIGHT + 200; i++) {
    socket.deliver({ type: "presence", participantId: joiner.participant.id, online: true });
    if (i % 50 === 0) await parts.settle();
  }
  await parts.settle();
  const sent = socket.sends();
  assert.ok(
    sent.length - before <= MAX_IN_FLIGHT + 3,
    `${sent.length - before} frames sealed for ${MAX_IN_FLIGHT + 200} presence flips`,
  );
  assert.equal(parts.state.find(id)?.file?.told, false);
  // The peer opens the last cancel and acknowledges it: the file is told,
  // the bound lifts and no further flip makes this side tell it again.
  const last = sent.at(-1)!;
  for (const frame of sent) {
    const payload = await openAs(joiner, frame.body);
    if (frame === last) assert.equal(payload.type, "cancel");
  }
  socket.deliver(
    await sealAs(joiner, {
      v: 2,
      type: "receipt",
      id: parts.state.ulid(),
      ids: [last.id],
      sentAt: 1,
    }),
  );
  await parts.settle();
  assert.equal(parts.state.find(id)?.file?.told, true);
  assert.ok(inFlight(parts.state.conversation) < MAX_IN_FLIGHT);
  const afterReceipt = socket.sends().length;
  socket.deliver({ type: "presence", participantId: joiner.participant.id, online: true });
  await parts.settle();
  assert.equal(socket.sends().length, afterReceipt);
});
