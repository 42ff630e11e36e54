/**
 * Wires the configuration, store and relay hub into a running HTTP(S)
 * server. The request handler is made by the caller from the state, so this
 * layer knows nothing of the web layer above it: `lib/serve.ts` composes the
 * two for `main.ts` and the integration tests.
 *
 * @module
 */
import type { AppState } from "./app_state.ts";
import type { Config } from "./config.ts";
import { errorResponse, HttpError } from "./http_error.ts";
import { type ConversationStore, FileConversationStore } from "./conversation_store.ts";
import { consoleLogger, type Logger, shortId } from "./log.ts";
import { connectRedis } from "./redis/client.ts";
import { RedisRelayCluster } from "./redis/cluster.ts";
import { RedisRateLimiter } from "./redis/rate_limit.ts";
import { RedisConversationStore } from "./redis/store.ts";
import { Readiness } from "./readiness.ts";
import { RelayHub } from "./relay_hub.ts";
import { RequestLimits } from "./request_limits.ts";

/** A server that is listening. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  url: URL;
  state: AppState;
  /** Closes every socket and stops listening. */
  shutdown(): Promise<void>;
  /**
   * Stops being ready (`/readyz` answers 503), waits `ms` for the load
   * balancer to notice, then shuts down: sockets close with 1001 and, in
   * Redis mode, this instance's presence and lease are withdrawn.
   */
  drain(ms: number): Promise<void>;
}

/** What {@linkcode startServer} needs besides the configuration. */
export interface StartServerOptions {
  /** Makes the request handler once the state is ready. */
  handler: (state: AppState) => Deno.ServeHandler | Promise<Deno.ServeHandler>;
  /** Where events go; JSON lines on standard output by default. */
  log?: Logger;
}

/** Starts the server described by `config`, answering with `options.handler`. */
export async function startServer(
  config: Config,
  options: StartServerOptions,
): Promise<RunningServer> {
  const log = options.log ?? consoleLogger();
  const redis = config.redisUrl === undefined ? null : await connectRedis(config.redisUrl, log);
  const files = redis !== null ? null : new FileConversationStore(config.dataDir, {
    onExpired(id) {
      log("conversation_expired", { conversation: shortId(id) });
      hub.closeConversation(id, "expired");
    },
  });
  // In Redis mode each key expires in Redis, and each instance's rooms close at expiresAt.
  const store: ConversationStore = files ?? new RedisConversationStore(redis!.command);
  const cluster = redis === null ? undefined : await RedisRelayCluster.start(redis, { log });
  const closeRedis = async () => {
    await cluster?.close();
    await redis?.close();
  };
  const hub = new RelayHub({
    store,
    log,
    maxFrameBytes: config.maxFrameBytes,
    authTimeoutMs: config.authTimeoutMs,
    maxSocketsPerParticipant: config.maxSocketsPerParticipant,
    sendPerSecond: config.sendPerSecond,
    cluster,
    turn: config.turn,
    maxLifetime: config.maxLifetime,
    sendBytesPerSecond: config.sendBytesPerSecond,
    idleTimeoutMs: config.idleTimeoutMs,
  });
  // Opened once the hub exists: a conversation may expire while it opens.
  await files?.open();
  const shared = redis === null
    ? undefined
    : new RedisRateLimiter(redis.command, config.rateLimitSecret!);
  const limits = new RequestLimits(config, { shared });
  const readiness = new Readiness(() => redis?.ready ?? true);
  const state: AppState = { config, store, hub, log, limits, readiness };
  let listening: Listening;
  try {
    listening = await listen(config, await options.handler(state), log);
  } catch (error) {
    // Nothing serves: stop the store's timers so the process can end.
    store.close();
    await closeRedis();
    throw error;
  }
  const { server, address, secure, requestsUnderway, abort } = listening;

  // Each conversation is removed by the store's timer at its expiresAt; the
  // sweep is the backstop that retries a removal that failed.
  const sweeper = setInterval(() => {
    limits.prune();
    store.sweepExpired()
      .catch((error) => log("sweep_failed", { error: String(error?.name) }));
  }, config.sweepIntervalMs);

  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  const url = new URL(`${secure ? "https" : "http"}://${host}:${address.port}`);
  readiness.listening();
  log("listening", { url: url.href });
  const running: RunningServer = {
    url,
    state,
    async drain(ms) {
      readiness.drain();
      log("draining", { ms });
      await new Promise((resolve) => setTimeout(resolve, ms));
      await running.shutdown();
    },
    async shutdown() {
      clearInterval(sweeper);
      store.close();
      hub.close();
      if (hub.upgradingCount === 0) {
        await server.shutdown();
        return await closeRedis();
      }
      // A graceful shutdown would wait forever for the connection of a client
      // that hung up before its upgrade's 101, which Deno never finishes: let
      // the requests under way end, then stop at once.
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      while (requestsUnderway() > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      abort();
      await server.finished;
      await closeRedis();
    },
  };
  return running;
}

/** How long a shutdown that cannot be graceful waits for requests under way, in milliseconds. */
const SHUTDOWN_GRACE_MS = 2000;

interface Listening {
  server: Deno.HttpServer<Deno.NetAddr>;
  address: Deno.NetAddr;
  secure: boolean;
  /** Requests whose handler has not returned yet. */
  requestsUnderway: () => number;
  /** Stops the server at once, dropping its connections. */
  abort: () => void;
}

/** Listens as `config` says: HTTPS when a certificate and key are set. */
async function listen(
  config: Config,
  handler: Deno.ServeHandler,
  log: Logger,
): Promise<Listening> {
  const tls = config.tlsCert && config.tlsKey
    ? {
      cert: await Deno.readTextFile(config.tlsCert),
      key: await Deno.readTextFile(config.tlsKey),
    }
    : {};
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const aborter = new AbortController();
  let underway = 0;
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    ...tls,
    onListen: resolve,
    signal: aborter.signal,
    // The app answers every error itself; were one to escape it, the
    // runtime's own answer would print the error, request URL and all.
    onError: (error) => {
      log("request_failed", { error: error instanceof Error ? error.name : typeof error });
      return errorResponse(new HttpError(500, "internal_error", "Internal server error"));
    },
  }, async (req, info) => {
    underway++;
    try {
      return await handler(req, info);
    } finally {
      underway--;
    }
  });
  return {
    server,
    address: await listening,
    secure: "cert" in tls,
    requestsUnderway: () => underway,
    abort: () => aborter.abort(),
  };
}
