/**
 * Whether this instance should get traffic, for `GET /readyz`: not before it
 * listens, not while it drains for a shutdown, and in Redis mode not while
 * Redis is unreachable. `/healthz` only says the process answers.
 *
 * @module
 */

/** The readiness of one instance. */
export class Readiness {
  #listening = false;
  #draining = false;
  #linked: () => boolean;

  /** `linked` tells whether what the instance depends on (Redis) is reachable. */
  constructor(linked: () => boolean = () => true) {
    this.#linked = linked;
  }

  /** Marks the server as listening. */
  listening(): void {
    this.#listening = true;
  }

  /** Marks the server as draining: it stays unready until it exits. */
  drain(): void {
    this.#draining = true;
  }

  /** Whether a shutdown has begun. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Why the instance is not ready (`starting`, `draining`, `unavailable`), or null when it is. */
  get reason(): "starting" | "draining" | "unavailable" | null {
    if (this.#draining) return "draining";
    if (!this.#listening) return "starting";
    if (!this.#linked()) return "unavailable";
    return null;
  }
}
