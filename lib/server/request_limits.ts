/**
 * Per-address limits for the three things a stranger can ask of the server:
 * rates for creating a conversation, joining one, and opening a socket, and a
 * cap on the sockets held open. Excess gets a 429 with `Retry-After`; other
 * addresses are unaffected.
 *
 * @module
 */
import { AddressSockets } from "./address_sockets.ts";
import { clientKey } from "./client_address.ts";
import type { Config } from "./config.ts";
import { HttpError } from "./http_error.ts";
import type { SharedLimiter } from "./redis/rate_limit.ts";
import { TokenBuckets } from "./token_bucket.ts";

/** What a limit counts. */
export type LimitedAction = "create" | "join" | "connect";

const VERBS: Record<LimitedAction, string> = {
  create: "create conversations",
  join: "join conversations",
  connect: "open sockets",
};

/**
 * One token bucket per address and action, and a socket count per address,
 * in memory only; in Redis mode the buckets are shared by every instance
 * (the socket count stays per instance).
 */
export class RequestLimits {
  #buckets: Record<LimitedAction, TokenBuckets>;
  #perMinute: Record<LimitedAction, number>;
  #shared: SharedLimiter | undefined;
  #sockets: AddressSockets;
  #trustProxy: boolean;

  constructor(
    config: Pick<
      Config,
      | "createPerMinute"
      | "joinPerMinute"
      | "connectPerMinute"
      | "maxSocketsPerAddress"
      | "trustProxy"
    >,
    options: { now?: () => number; maxKeys?: number; shared?: SharedLimiter } = {},
  ) {
    this.#trustProxy = config.trustProxy;
    this.#shared = options.shared;
    this.#perMinute = {
      create: config.createPerMinute,
      join: config.joinPerMinute,
      connect: config.connectPerMinute,
    };
    const perMinute = (count: number) =>
      new TokenBuckets({ capacity: count, perSecond: count / 60 }, options);
    this.#buckets = {
      create: perMinute(config.createPerMinute),
      join: perMinute(config.joinPerMinute),
      connect: perMinute(config.connectPerMinute),
    };
    this.#sockets = new AddressSockets(config.maxSocketsPerAddress);
  }

  /**
   * Counts one `action` by `key`; throws (or, with shared buckets, rejects
   * with) a 429 `HttpError` past the limit.
   */
  check(action: LimitedAction, key: string): void | Promise<void> {
    if (this.#shared !== undefined) {
      const count = this.#perMinute[action];
      return this.#shared.take(action, key, count, count / 60).then((retryAfter) => {
        if (retryAfter > 0) throw limitError(action, retryAfter);
      });
    }
    const buckets = this.#buckets[action];
    if (buckets.take(key)) return;
    throw limitError(action, buckets.retryAfterSeconds(key));
  }

  /** Counts one `action` by the client of `req`; throws a 429 past the limit. */
  checkRequest(
    action: LimitedAction,
    req: Request,
    info: Deno.ServeHandlerInfo,
  ): void | Promise<void> {
    return this.check(action, clientKey(req, info, { trustProxy: this.#trustProxy }));
  }

  /**
   * Counts one more open socket for the client of `req` and returns the
   * function that releases it when the socket closes; throws a 429
   * `too_many_sockets` when the address holds `maxSocketsPerAddress`.
   */
  openSocket(req: Request, info: Deno.ServeHandlerInfo): () => void {
    return this.#sockets.open(clientKey(req, info, { trustProxy: this.#trustProxy }));
  }

  /** Forgets addresses whose buckets are full again. */
  prune(): void {
    for (const buckets of Object.values(this.#buckets)) buckets.prune();
  }
}

/** The 429 for `action`, to be tried again in `retryAfter` seconds. */
function limitError(action: LimitedAction, retryAfter: number): HttpError {
  return new HttpError(
    429,
    "rate_limited",
    `Too many requests: this address may ${VERBS[action]} again in ${retryAfter} s`,
    { headers: { "retry-after": String(retryAfter) } },
  );
}
