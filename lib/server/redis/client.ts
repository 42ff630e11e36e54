/**
 * The connection to Redis in Redis mode (`REDIS_URL`): one client for
 * commands and one for subscriptions, both failing fast while Redis is
 * unreachable (no command is queued for later) and reconnecting in the
 * background. Every key and channel the server uses starts with
 * {@linkcode KEY_PREFIX}, so an ACL user can be limited to them.
 *
 * @module
 */
import { createClient } from "@redis/client";
import { HttpError } from "../http_error.ts";
import type { Logger } from "../log.ts";

/** The prefix of every key and channel; `deploy/redis.conf` allows only these. */
export const KEY_PREFIX = "anon:";

/** A connected Redis client, as `@redis/client` makes it. */
export type RedisClient = ReturnType<typeof makeClient>;

/** Both clients of one instance and the state of the link to Redis. */
export interface RedisConnection {
  /** Runs commands and scripts. */
  command: RedisClient;
  /** Holds the subscriptions; the library subscribes again after a reconnect. */
  subscriber: RedisClient;
  /** Whether both clients are connected now. */
  readonly ready: boolean;
  /** Calls `listener` when the link is lost (`up` false) and when it is back (`up` true). */
  onChange(listener: (up: boolean) => void): void;
  /** Disconnects both clients. */
  close(): Promise<void>;
}

/** Longest wait between two reconnection attempts, in milliseconds. */
const MAX_RECONNECT_DELAY_MS = 500;
/** Time one connection attempt may take, in milliseconds. */
const CONNECT_TIMEOUT_MS = 2000;

/**
 * Connects to `url` (`redis://host:port`, `rediss://…` or
 * `unix:///path/to/redis.sock`), waiting until Redis answers.
 */
export async function connectRedis(url: string, log: Logger): Promise<RedisConnection> {
  const command = makeClient(url);
  const subscriber = makeClient(url);
  const listeners: ((up: boolean) => void)[] = [];
  let up = false;
  const update = () => {
    const now = command.isReady && subscriber.isReady;
    if (now === up) return;
    up = now;
    log(up ? "redis_ready" : "redis_lost");
    for (const listener of listeners) listener(up);
  };
  for (const client of [command, subscriber]) {
    // The error's name only: a message may name the host.
    client.on("error", (error: unknown) => {
      if (up) log("redis_error", { error: error instanceof Error ? error.name : "unknown" });
      update();
    });
    client.on("ready", update);
    client.on("end", update);
  }
  await command.connect();
  await subscriber.connect();
  update();
  return {
    command,
    subscriber,
    get ready() {
      return up;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      listeners.length = 0;
      await Promise.allSettled([command.close(), subscriber.close()]);
    },
  };
}

/** A client that fails fast while disconnected and keeps reconnecting. */
function makeClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    disableClientInfo: true,
    // Its handshake cannot parse a unix://user:password@/path URL, and Redis 7.0 lacks it.
    maintNotifications: "disabled",
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
}

/** The 503 a request gets while Redis cannot be reached. */
export function unavailableError(): HttpError {
  return new HttpError(
    503,
    "unavailable",
    "Service unavailable: the shared store cannot be reached, try again shortly",
    { headers: { "retry-after": "2" } },
  );
}

/**
 * Runs a Redis operation, turning any failure to reach Redis into a 503
 * {@linkcode HttpError}; an `HttpError` from `work` itself passes unchanged.
 */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw unavailableError();
  }
}
