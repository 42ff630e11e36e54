import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts, message } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair, openAs, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { decodeBase64Url } from "../crypto/encoding.ts";
import { parseEnvelope } from "../crypto/envelope.ts";
import type { Payload } from "../crypto/payload.ts";
import { hashBody } from "./resent.ts";

const FAST = { perSecond: 1_000_000, burst: 1_000_000 };

Deno.test("a relay that replays a refused file announcement twice gets two refusals with distinct message numbers, both opened by the peer", async () => {
  const { creator, joiner } = await makeStoredPair({ session: true });
  const id = "01J00000000000000000000FAZ";
  const announcement = {
    v: 2,
    type: "file",
    id,
    name: "big.bin",
    mime: "application/octet-stream",
    size: 10_000_000,
    sha256: "A".repeat(43),
    chunks: 204,
    sentAt: 1,
    expiresIn: 0,
  } as unknown as Payload;
  const frame = await sealAs(joiner, announcement);
  await using parts = new ClientParts(creator, { sendRate: FAST });
  const socket = await parts.online();
  // The announcement came before and was refused as too large.
  await parts.state.insert(message(creator, id, {
    kind: "file",
    text: "",
    status: "refused",
    refusal: "too_large",
    bodyHash: await hashBody(frame.body),
    file: {
      name: "big.bin",
      mime: "application/octet-stream",
      size: 10_000_000,
      sha256: "A".repeat(43),
      chunks: 204,
      received: 0,
    },
  }));
  const before = socket.sends().length;
  socket.deliver(frame);
  socket.deliver(frame);
  await parts.settle();
  // Time for a seal that ran outside the queue to finish too.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const sends = socket.sends().slice(before);
  assert.equal(sends.length, 2, "one refusal said again per replay");
  const numbers = sends.map((sent) => {
    const header = parseEnvelope(decodeBase64Url(sent.body)).header;
    return `${header.pn}/${header.n}`;
  });
  assert.equal(new Set(numbers).size, numbers.length, `message numbers ${numbers}`);
  for (const sent of sends) {
    const payload = await openAs(joiner, sent.body);
    assert.equal(payload.type, "refusal");
    assert.equal((payload as { file: string }).file, id);
  }
});
