/**
 * Disappearing messages: once a second, every message whose time is up is
 * deleted from storage and from view. Incoming ones are remembered by ID and
 * hashes only, so a resend after a lost receipt (or the same message sealed
 * again after a session reset) is acknowledged instead of failing.
 *
 * @module
 */
import type { ClientState } from "./client_state.ts";

const EXPIRY_CHECK_MS = 1000;
/** How many disappeared incoming messages are remembered by ID and hash. */
const MAX_GONE = 2000;

/** The shorter of two disappearing-message timers; 0 (off) only when both are. */
export function stricterTimer(a: number, b: number): number {
  return a === 0 ? b : b === 0 ? a : Math.min(a, b);
}

/** Removes the expired messages of one conversation. */
export class Expiry {
  #state: ClientState;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(state: ClientState) {
    this.#state = state;
  }

  /** Removes what has expired now, then checks every second. */
  start(): void {
    this.#timer = setInterval(
      () => this.#state.serial(() => this.removeExpired()),
      EXPIRY_CHECK_MS,
    );
    this.#state.serial(() => this.removeExpired());
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Deletes every message whose time is up. */
  async removeExpired(): Promise<void> {
    const state = this.#state;
    const now = Date.now();
    const expired = state.messages.filter((m) => m.expiresAt !== null && m.expiresAt <= now);
    if (expired.length === 0) return;
    const gone = expired.filter((m) => m.direction === "in" && m.bodyHash !== undefined)
      .map((m) => ({
        id: m.id,
        bodyHash: m.bodyHash!,
        ...(m.payloadHash === undefined ? {} : { payloadHash: m.payloadHash }),
      }));
    if (gone.length > 0) {
      const all = [...(state.conversation.gone ?? []), ...gone].slice(-MAX_GONE);
      await state.save({ ...state.conversation, gone: all });
    }
    await state.remove(expired);
  }
}
