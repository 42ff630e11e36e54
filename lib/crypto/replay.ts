/**
 * The per-direction replay window, kept as plain JSON so it can be stored in
 * IndexedDB next to the conversation.
 *
 * @module
 */

import { MAX_COUNTER } from "./envelope.ts";

/** Which counters of one direction are still acceptable. */
export interface ReplayState {
  /** One above the highest accepted counter; every counter from here is fresh. */
  next: number;
  /** Counters below `next` never accepted, ascending. */
  missing: number[];
}

/**
 * How many skipped counters are remembered. Older ones are forgotten and so
 * rejected if they ever arrive: a bounded state, at the cost of very late
 * messages.
 */
export const MAX_MISSING = 1000;

/** The state before any message was accepted. */
export function emptyReplayState(): ReplayState {
  return { next: 0, missing: [] };
}

/** Tells whether a counter was never accepted and can still be. */
export function isFresh(state: ReplayState, counter: number): boolean {
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    return false;
  }
  return counter >= state.next || state.missing.includes(counter);
}

/**
 * Records a counter as accepted and returns the new state; the old one is
 * left as is. Throws `RangeError` for a counter that is not fresh.
 */
export function acceptCounter(
  state: ReplayState,
  counter: number,
): ReplayState {
  if (!isFresh(state, counter)) {
    throw new RangeError(`Cannot accept counter ${counter}: not fresh`);
  }
  if (counter < state.next) {
    return {
      next: state.next,
      missing: state.missing.filter((missing) => missing !== counter),
    };
  }
  // Only the newest MAX_MISSING of a gap can survive, so a huge jump costs no
  // more than a small one.
  const gapStart = Math.max(state.next, counter - MAX_MISSING);
  const missing = [...state.missing];
  for (let skipped = gapStart; skipped < counter; skipped++) {
    missing.push(skipped);
  }
  return {
    next: counter + 1,
    missing: missing.slice(Math.max(0, missing.length - MAX_MISSING)),
  };
}
