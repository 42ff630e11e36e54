import assert from "node:assert/strict";
import {
  acceptCounter,
  emptyReplayState,
  isFresh,
  MAX_MISSING,
  type ReplayState,
} from "./replay.ts";
import { MAX_COUNTER } from "./envelope.ts";

function acceptAll(counters: number[]): ReplayState {
  return counters.reduce(acceptCounter, emptyReplayState());
}

Deno.test("acceptCounter() accepts counters in order", () => {
  const state = acceptAll([0, 1, 2, 3]);
  assert.deepEqual(state, { next: 4, missing: [] });
  for (const counter of [0, 1, 2, 3]) {
    assert.equal(isFresh(state, counter), false);
  }
  assert.equal(isFresh(state, 4), true);
});

Deno.test("acceptCounter() accepts late counters within the gap once", () => {
  let state = acceptAll([0, 4]);
  assert.deepEqual(state, { next: 5, missing: [1, 2, 3] });
  state = acceptCounter(state, 2);
  assert.deepEqual(state, { next: 5, missing: [1, 3] });
  assert.equal(isFresh(state, 2), false);
  assert.throws(() => acceptCounter(state, 2), {
    name: "RangeError",
    message: "Cannot accept counter 2: not fresh",
  });
  state = acceptCounter(acceptCounter(state, 3), 1);
  assert.deepEqual(state, { next: 5, missing: [] });
});

Deno.test("acceptCounter() rejects duplicates", () => {
  const state = acceptAll([0, 1]);
  assert.throws(() => acceptCounter(state, 1), RangeError);
  assert.throws(() => acceptCounter(state, 0), RangeError);
});

Deno.test("acceptCounter() leaves the given state unchanged", () => {
  const state = acceptAll([0, 3]);
  const copy = structuredClone(state);
  acceptCounter(state, 1);
  acceptCounter(state, 10);
  assert.deepEqual(state, copy);
});

Deno.test("acceptCounter() remembers only the newest MAX_MISSING skipped counters", () => {
  const state = acceptAll([0, MAX_MISSING + 11]);
  assert.equal(state.missing.length, MAX_MISSING);
  assert.equal(state.missing[0], 11);
  assert.equal(isFresh(state, 10), false);
  assert.equal(isFresh(state, 11), true);
  const again = acceptCounter(state, MAX_MISSING + 20);
  assert.equal(again.missing.length, MAX_MISSING);
  assert.equal(again.missing.at(-1), MAX_MISSING + 19);
  assert.equal(isFresh(again, 11), false);
});

Deno.test("acceptCounter() handles a jump to the largest counter cheaply", () => {
  const state = acceptAll([MAX_COUNTER]);
  assert.equal(state.next, MAX_COUNTER + 1);
  assert.equal(state.missing.length, MAX_MISSING);
  assert.equal(isFresh(state, MAX_COUNTER), false);
  assert.equal(isFresh(state, MAX_COUNTER - 1), true);
});

Deno.test("isFresh() rejects counters that are not valid envelope counters", () => {
  const state = emptyReplayState();
  for (const counter of [-1, 1.5, NaN, Infinity, MAX_COUNTER + 1]) {
    assert.equal(isFresh(state, counter), false);
    assert.throws(() => acceptCounter(state, counter), RangeError);
  }
});

Deno.test("the replay state survives a JSON round trip", () => {
  const state = acceptAll([0, 5, 2]);
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
});
