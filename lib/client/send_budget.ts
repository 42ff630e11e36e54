/**
 * A token bucket for the frames a client sends, kept below the relay's
 * per-socket rate so that a long outbox drains steadily instead of tripping
 * the server's limit and looping through reconnects.
 *
 * @module
 */

/** How fast frames may go out. */
export interface SendRate {
  /** Sustained frames per second. */
  perSecond: number;
  /** Frames that may go at once after a quiet spell. */
  burst: number;
}

/**
 * The client's default for every frame but file chunks: well under the
 * relay's default of 100 frames a second with ten seconds of burst.
 */
export const DEFAULT_SEND_RATE: SendRate = { perSecond: 12, burst: 40 };

/**
 * File chunks have a budget of their own, so a transfer neither waits
 * behind the pace of texts nor takes it from them. A full chunk's frame is
 * about 90 KB, so this is about 6.5 MB a second: together with
 * {@linkcode DEFAULT_SEND_RATE} (at most 12 frames of at most 128 KiB) it
 * stays below the relay's defaults of 100 frames and 8 MiB a second.
 */
export const CHUNK_SEND_RATE: SendRate = { perSecond: 72, burst: 72 };

/** Counts frames against a {@linkcode SendRate}. */
export class SendBudget {
  #rate: SendRate;
  #tokens: number;
  #at: number;
  #now: () => number;

  constructor(rate: SendRate, now: () => number = Date.now) {
    this.#rate = rate;
    this.#tokens = rate.burst;
    this.#now = now;
    this.#at = now();
  }

  /** Takes one frame's worth if there is one; reports whether it did. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the next frame may go. */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) * 1000 / this.#rate.perSecond);
  }

  #refill(): void {
    const now = this.#now();
    const earned = (now - this.#at) * this.#rate.perSecond / 1000;
    this.#tokens = Math.min(this.#rate.burst, this.#tokens + earned);
    this.#at = now;
  }
}
