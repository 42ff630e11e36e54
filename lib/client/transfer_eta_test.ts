import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { percentDone, timeLeft } from "./transfer_eta.ts";

Deno.test("percentDone() rounds down and stays within 0 to 100", () => {
  assert.equal(percentDone(0, 534), 0);
  assert.equal(percentDone(1, 534), 0);
  assert.equal(percentDone(267, 534), 50);
  assert.equal(percentDone(533, 534), 99);
  assert.equal(percentDone(534, 534), 100);
  assert.equal(percentDone(600, 534), 100);
  assert.equal(percentDone(1, 0), 0);
});

Deno.test("timeLeft() estimates from the pace so far, in seconds, minutes or hours", () => {
  const start = { at: 1000, done: 10 };
  // 20 chunks in 2 s: 10 a second, 100 to go.
  assert.equal(timeLeft(start, { at: 3000, done: 30 }, 130), "10 s left");
  // Never below a second.
  assert.equal(timeLeft(start, { at: 3000, done: 30 }, 31), "1 s left");
  // 1 chunk a second, 90 to go: two minutes, rounded up.
  assert.equal(timeLeft(start, { at: 11_000, done: 20 }, 110), "2 min left");
  assert.equal(timeLeft(start, { at: 11_000, done: 20 }, 3920), "1 h 5 min left");
});

Deno.test("timeLeft() says nothing too early, without progress, or when done", () => {
  const start = { at: 1000, done: 10 };
  assert.equal(timeLeft(start, { at: 1400, done: 20 }, 100), null);
  assert.equal(timeLeft(start, { at: 5000, done: 10 }, 100), null);
  assert.equal(timeLeft(start, { at: 5000, done: 100 }, 100), null);
});
