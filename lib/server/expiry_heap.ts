/**
 * An indexed binary min-heap of expiry times by conversation ID: the earliest
 * time in O(1); adding, moving and removing an ID in O(log n); taking out the
 * due IDs in O(k log n) for k due, so a sweep never looks at a conversation
 * whose time has not come.
 *
 * @module
 */

/**
 * Conversation ID → expiry time (ms since the epoch), ordered by time.
 *
 * @example
 * ```ts
 * const heap = new ExpiryHeap();
 * heap.set("01J…", Date.parse(record.expiresAt));
 * heap.takeDue(Date.now()); // the IDs whose time has come
 * ```
 */
export class ExpiryHeap {
  #ids: string[] = [];
  #times: number[] = [];
  /** Where each ID sits in the two arrays. */
  #index = new Map<string, number>();

  /** Number of IDs held. */
  get size(): number {
    return this.#ids.length;
  }

  /** The earliest time held, or Infinity when empty. */
  peekTime(): number {
    return this.#times.length === 0 ? Infinity : this.#times[0];
  }

  /** The time held for `id`, or undefined. */
  get(id: string): number | undefined {
    const at = this.#index.get(id);
    return at === undefined ? undefined : this.#times[at];
  }

  /** Adds `id` at `time`, or moves it there, earlier or later. */
  set(id: string, time: number): void {
    const at = this.#index.get(id);
    if (at === undefined) {
      this.#ids.push(id);
      this.#times.push(time);
      this.#index.set(id, this.#ids.length - 1);
      this.#up(this.#ids.length - 1);
      return;
    }
    const before = this.#times[at];
    this.#times[at] = time;
    if (time < before) this.#up(at);
    else if (time > before) this.#down(at);
  }

  /** Removes `id`; reports whether it was held. */
  delete(id: string): boolean {
    const at = this.#index.get(id);
    if (at === undefined) return false;
    this.#removeAt(at);
    return true;
  }

  /** Takes out and returns every ID whose time is at or before `now`, earliest first. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    while (this.#times.length > 0 && this.#times[0] <= now) {
      due.push(this.#ids[0]);
      this.#removeAt(0);
    }
    return due;
  }

  #removeAt(at: number): void {
    const last = this.#ids.length - 1;
    this.#index.delete(this.#ids[at]);
    if (at !== last) {
      this.#ids[at] = this.#ids[last];
      this.#times[at] = this.#times[last];
      this.#index.set(this.#ids[at], at);
    }
    this.#ids.pop();
    this.#times.pop();
    if (at < this.#ids.length) {
      this.#up(at);
      this.#down(at);
    }
  }

  #up(at: number): void {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.#times[parent] <= this.#times[at]) return;
      this.#swap(at, parent);
      at = parent;
    }
  }

  #down(at: number): void {
    const size = this.#ids.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && this.#times[right] < this.#times[left] ? right : left;
      if (this.#times[at] <= this.#times[child]) return;
      this.#swap(at, child);
      at = child;
    }
  }

  #swap(a: number, b: number): void {
    const id = this.#ids[a];
    const time = this.#times[a];
    this.#ids[a] = this.#ids[b];
    this.#times[a] = this.#times[b];
    this.#ids[b] = id;
    this.#times[b] = time;
    this.#index.set(this.#ids[a], a);
    this.#index.set(this.#ids[b], b);
  }
}
