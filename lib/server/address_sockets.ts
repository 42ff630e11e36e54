/**
 * Open sockets per client address, so that one address cannot hold every
 * socket of the server. An address is a key of this map only while it holds
 * a socket; it is never written or logged.
 *
 * @module
 */
import { HttpError } from "./http_error.ts";

/** How long a client refused at the cap is asked to wait, in seconds. */
const RETRY_AFTER_SECONDS = 10;

/**
 * Counts the open sockets of each address and refuses one past `max`.
 *
 * @example
 * ```ts
 * const sockets = new AddressSockets(64);
 * const release = sockets.open("203.0.113.7"); // throws a 429 at the cap
 * socket.addEventListener("close", release);
 * ```
 */
export class AddressSockets {
  #max: number;
  #counts = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Number of addresses holding at least one socket. */
  get size(): number {
    return this.#counts.size;
  }

  /** Open sockets of `key`. */
  count(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  /**
   * Counts one more socket for `key` and returns the function that releases
   * it (calling it again does nothing). Throws a 429 `HttpError`
   * `too_many_sockets` when `key` already holds `max`.
   */
  open(key: string): () => void {
    const count = this.count(key);
    if (count >= this.#max) {
      throw new HttpError(
        429,
        "too_many_sockets",
        `Too many sockets: one address may hold at most ${this.#max} at once`,
        { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
      );
    }
    this.#counts.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(key) - 1;
      if (left > 0) this.#counts.set(key, left);
      else this.#counts.delete(key);
    };
  }
}
