import assert from "node:assert/strict";
import { ManualClock } from "../../tests/fixtures/manual_clock.ts";
import { CREATOR_ID, JOINER_ID } from "../../tests/fixtures/session_pair.ts";
import { makeStoredPair, sealAs } from "../../tests/fixtures/stored_pair.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import type { Payload } from "../crypto/payload.ts";
import { FILE_CHUNK_BYTES, MAX_TEXT_BYTES } from "../crypto/payload_limits.ts";
import { loadConfig } from "../server/config.ts";
import { TokenBucket } from "../server/token_bucket.ts";
import { CHUNK_SEND_RATE, DEFAULT_SEND_RATE, SendBudget } from "./send_budget.ts";

Deno.test("SendBudget allows a burst, then frames at the sustained rate", () => {
  let now = 0;
  const budget = new SendBudget({ perSecond: 10, burst: 3 }, () => now);
  assert.deepEqual([budget.take(), budget.take(), budget.take(), budget.take()], [
    true,
    true,
    true,
    false,
  ]);
  assert.equal(budget.waitMs(), 100);
  now += 99;
  assert.equal(budget.take(), false);
  now += 1;
  assert.equal(budget.take(), true);
  now += 10_000;
  assert.equal(budget.waitMs(), 0);
  // A long quiet spell refills the burst, not more.
  assert.deepEqual([1, 2, 3, 4].map(() => budget.take()), [true, true, true, false]);
});

Deno.test("the chunk and text budgets, both spent as fast as they allow for a minute, stay under the relay's default frame and byte limits", async () => {
  using clock = new ManualClock();
  const { creator } = await makeStoredPair({ session: true });
  const frameOf = async (payload: Payload) => {
    const sealed = await sealAs(creator, payload);
    // As the browser writes it: carrying the message frame the relay passes on.
    const frame = { type: "message", id: payload.id, from: CREATOR_ID, body: sealed.body };
    return JSON.stringify({ type: "send", to: JOINER_ID, frame });
  };
  const id = "01JGZ0000000000000000000D2";
  const chunkFrame = await frameOf({
    v: 2,
    type: "chunk",
    id,
    file: id,
    index: 0,
    data: encodeBase64Url(new Uint8Array(FILE_CHUNK_BYTES)),
    sentAt: 1,
  });
  // The largest text: every other frame is smaller.
  const textFrame = await frameOf({
    v: 2,
    type: "text",
    id,
    text: "x".repeat(MAX_TEXT_BYTES),
    sentAt: 1,
    expiresIn: 0,
  });
  const config = loadConfig({});
  const now = () => Date.now();
  const relayFrames = new TokenBucket({
    capacity: config.sendPerSecond * 10,
    perSecond: config.sendPerSecond,
  }, { now });
  const relayBytes = new TokenBucket({
    capacity: config.sendBytesPerSecond * 2,
    perSecond: config.sendBytesPerSecond,
  }, { now });
  const texts = new SendBudget(DEFAULT_SEND_RATE, now);
  const chunks = new SendBudget(CHUNK_SEND_RATE, now);
  let sent = 0;
  for (let ms = 0; ms < 60_000; ms++) {
    while (texts.take()) {
      assert.ok(relayFrames.take() && relayBytes.take(textFrame.length), `text at ${ms} ms`);
    }
    while (chunks.take()) {
      assert.ok(relayFrames.take() && relayBytes.take(chunkFrame.length), `chunk at ${ms} ms`);
      sent++;
    }
    clock.advance(1);
  }
  // 25 MiB in under ten seconds is about 54 chunks a second.
  assert.ok(sent >= 60 * 60, `${sent} chunks in a minute`);
});
