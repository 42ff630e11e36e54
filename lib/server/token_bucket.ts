/**
 * Token buckets: a steady allowance with a burst. One {@linkcode TokenBucket}
 * paces a single socket; {@linkcode TokenBuckets} keeps one bucket per key
 * (a client address) in a map that never grows past a fixed size.
 *
 * @module
 */

/** Shape of a bucket: how many tokens it holds and how fast it refills. */
export interface BucketShape {
  /** Most tokens the bucket holds: the burst. */
  capacity: number;
  /** Tokens added per second. */
  perSecond: number;
}

/** One bucket; starts full. */
export class TokenBucket {
  #shape: BucketShape;
  #now: () => number;
  #tokens: number;
  #updated: number;

  constructor(shape: BucketShape, options: { now?: () => number } = {}) {
    this.#shape = shape;
    this.#now = options.now ?? performance.now.bind(performance);
    this.#tokens = shape.capacity;
    this.#updated = this.#now();
  }

  /** Takes `count` tokens (one by default); false, taking none, when fewer are left. */
  take(count = 1): boolean {
    this.#refill();
    if (this.#tokens < count) return false;
    this.#tokens -= count;
    return true;
  }

  /** Whole seconds until the next token, at least 1. */
  get retryAfterSeconds(): number {
    this.#refill();
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.#shape.perSecond));
  }

  /** True when the bucket is full again, so forgetting it changes nothing. */
  get full(): boolean {
    this.#refill();
    return this.#tokens >= this.#shape.capacity;
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#updated) / 1000;
    this.#tokens = Math.min(this.#shape.capacity, this.#tokens + elapsed * this.#shape.perSecond);
    this.#updated = now;
  }
}

/** Default bound on the number of keys a {@linkcode TokenBuckets} tracks. */
export const MAX_TRACKED_KEYS = 10_000;

/**
 * A bucket per key, held in memory only. Full buckets are forgotten, since a
 * fresh bucket is full too; when the map is at its bound and no bucket is
 * full, the oldest key is forgotten, which errs towards letting a request in.
 *
 * @example
 * ```ts
 * const creates = new TokenBuckets({ capacity: 10, perSecond: 10 / 60 });
 * if (!creates.take("203.0.113.7")) throw new Error("Too many requests");
 * ```
 */
export class TokenBuckets {
  #shape: BucketShape;
  #now: () => number;
  #maxKeys: number;
  #buckets = new Map<string, TokenBucket>();

  constructor(
    shape: BucketShape,
    options: { now?: () => number; maxKeys?: number } = {},
  ) {
    this.#shape = shape;
    this.#now = options.now ?? performance.now.bind(performance);
    this.#maxKeys = options.maxKeys ?? MAX_TRACKED_KEYS;
  }

  /** Number of keys held now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes a token from `key`'s bucket; false when it is empty. */
  take(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict();
      bucket = new TokenBucket(this.#shape, { now: this.#now });
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** Whole seconds until `key` may try again. */
  retryAfterSeconds(key: string): number {
    return this.#buckets.get(key)?.retryAfterSeconds ?? 1;
  }

  /** Forgets every full bucket; called now and then to keep the map small. */
  prune(): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.full) this.#buckets.delete(key);
    }
  }

  #evict(): void {
    this.prune();
    if (this.#buckets.size < this.#maxKeys) return;
    // Map order is insertion order: the first key is the oldest.
    const oldest = this.#buckets.keys().next().value;
    if (oldest !== undefined) this.#buckets.delete(oldest);
  }
}
