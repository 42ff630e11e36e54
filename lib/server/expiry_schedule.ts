/**
 * The expiry time of every stored conversation, held in memory with one
 * timer armed for the earliest, so each conversation is removed at its
 * `expiresAt` whether or not anyone is connected, and a sweep finds the
 * expired ones without reading a file. The times sit in a min-heap
 * ({@linkcode ExpiryHeap}), so a sweep touches only the expired entries.
 *
 * @module
 */
import { ExpiryHeap } from "./expiry_heap.ts";

/** Longest delay `setTimeout` accepts; a later expiry re-arms on the way. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Conversation ID → expiry time (ms since the epoch). When the earliest time
 * comes, the due IDs are taken out and handed to `onDue`.
 *
 * @example
 * ```ts
 * const schedule = new ExpirySchedule((ids) => ids.forEach(remove));
 * schedule.set(id, Date.parse(record.expiresAt));
 * schedule.close(); // on shutdown
 * ```
 */
export class ExpirySchedule {
  #times = new ExpiryHeap();
  #onDue: (ids: string[]) => void;
  #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires, or Infinity when none is armed. */
  #armedFor = Infinity;
  #closed = false;

  constructor(onDue: (ids: string[]) => void, options: { now?: () => number } = {}) {
    this.#onDue = onDue;
    this.#now = options.now ?? Date.now;
  }

  /** Number of conversations scheduled. */
  get size(): number {
    return this.#times.size;
  }

  /** Schedules (or moves) the expiry of `id` to `expiresAt`. */
  set(id: string, expiresAt: number): void {
    this.#times.set(id, expiresAt);
    if (expiresAt < this.#armedFor) this.#arm(expiresAt);
  }

  /** Forgets `id`; its file was removed some other way. */
  delete(id: string): void {
    // The armed timer may now fire for nothing; it then re-arms for the next.
    this.#times.delete(id);
    if (this.#times.size > 0) return;
    // Nothing left to wait for: no timer keeps the process up.
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  /** Takes out and returns every ID whose time has come, earliest first. */
  takeDue(): string[] {
    return this.#times.takeDue(this.#now());
  }

  /** Stops the timer for good, for shutdown. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(at: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#armedFor = at;
    const delay = Math.max(0, Math.min(at - this.#now(), MAX_TIMER_MS));
    this.#timer = setTimeout(() => this.#fire(), delay);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const due = this.takeDue();
    const next = this.#times.peekTime();
    if (next !== Infinity) this.#arm(next);
    if (due.length > 0) this.#onDue(due);
  }
}
