/**
 * Rate limits shared by every instance in Redis mode: one token bucket per
 * action and client, kept and updated by a Lua script on Redis's own clock.
 * The key holds an HMAC of the client's address under `RATE_LIMIT_SECRET`,
 * never the address; it expires once the bucket would be full again.
 *
 * @module
 */
import { encodeBase64Url } from "../../crypto/encoding.ts";
import { guarded, KEY_PREFIX, type RedisClient } from "./client.ts";

/**
 * Takes one token from the bucket KEYS[1] of ARGV[1] tokens refilled at
 * ARGV[2] tokens per millisecond; returns 0 when taken, else the
 * milliseconds until one is there.
 */
const TAKE_TOKEN = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
return wait`;

/** A limiter whose buckets every instance shares. */
export interface SharedLimiter {
  /**
   * Takes one token of `action` for `clientKey` from a bucket of `capacity`
   * refilled at `perSecond`; resolves to 0 when taken, else the seconds to
   * wait. Rejects with a 503 `HttpError` when Redis is unreachable.
   */
  take(action: string, clientKey: string, capacity: number, perSecond: number): Promise<number>;
}

/** Token buckets in Redis, keyed by an HMAC of the client's address. */
export class RedisRateLimiter implements SharedLimiter {
  #redis: RedisClient;
  #key: Promise<CryptoKey>;

  /** `secret` is the same on every instance, so one address has one bucket. */
  constructor(redis: RedisClient, secret: string) {
    this.#redis = redis;
    this.#key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  }

  async take(
    action: string,
    clientKey: string,
    capacity: number,
    perSecond: number,
  ): Promise<number> {
    const key = `${KEY_PREFIX}limit:${action}:${await this.#mac(clientKey)}`;
    const wait = await guarded(() =>
      this.#redis.eval(TAKE_TOKEN, {
        keys: [key],
        arguments: [String(capacity), String(perSecond / 1000)],
      })
    );
    return Math.ceil(Number(wait) / 1000);
  }

  /** 128 bits of HMAC-SHA-256: enough to tell clients apart, nothing to reverse. */
  async #mac(clientKey: string): Promise<string> {
    const mac = await crypto.subtle.sign(
      "HMAC",
      await this.#key,
      new TextEncoder().encode(clientKey),
    );
    return encodeBase64Url(new Uint8Array(mac, 0, 16));
  }
}
