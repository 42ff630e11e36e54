/**
 * Server configuration, read from environment variables. Every setting has a
 * safe default; a value that does not parse stops the server at start with a
 * message naming the variable.
 *
 * @module
 */
import { normalizeOrigin } from "./request_guard.ts";
import { readTurn, type TurnConfig } from "./turn.ts";

/** The server's settings. */
export interface Config {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** Folder of the conversation JSON files. */
  dataDir: string;
  /** PEM certificate and key paths; HTTPS is served when both are set. */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** Longest conversation lifetime a client may ask for, in seconds. */
  maxLifetime: number;
  /** Largest accepted HTTP request body, in bytes. */
  maxBodyBytes: number;
  /** Largest accepted WebSocket frame, in bytes. */
  maxFrameBytes: number;
  /** Time a new socket has to authenticate, in milliseconds. */
  authTimeoutMs: number;
  /** Interval between sweeps for expired conversations, in milliseconds. */
  sweepIntervalMs: number;
  /** Conversations one address may create per minute (the burst is the same). */
  createPerMinute: number;
  /** Joins one address may attempt per minute. */
  joinPerMinute: number;
  /** Socket upgrades one address may open per minute. */
  connectPerMinute: number;
  /** Open sockets one participant may hold at once. */
  maxSocketsPerParticipant: number;
  /** Open sockets one client address (IPv6: one /64) may hold at once. */
  maxSocketsPerAddress: number;
  /** Open sockets the whole server holds at once. */
  maxSockets: number;
  /**
   * An authenticated socket that sends nothing for this long, not even a
   * `pong` to the `ping` it is sent after half of it, is closed (1001), in
   * milliseconds.
   */
  idleTimeoutMs: number;
  /** Frames one socket may send per second, with ten seconds' worth as burst. */
  sendPerSecond: number;
  /** On SIGTERM, how long `/readyz` says 503 before the sockets close, in milliseconds. */
  drainMs: number;
  /** Bytes of frames one socket may send per second, with two seconds' worth as burst. */
  sendBytesPerSecond: number;
  /**
   * Take the client address from the last `X-Forwarded-For` hop, for a server
   * behind a reverse proxy that sets it. Off by default.
   */
  trustProxy: boolean;
  /**
   * The origins the server's pages are served from, such as
   * `https://chat.example`; state-changing API requests and socket upgrades
   * from any other origin are refused. Empty: each request's own origin.
   */
  publicOrigins: string[];
  /**
   * `redis://host:port` or `unix:///path.sock`: run in Redis mode, sharing
   * conversations, relay, presence and rate limits with other instances.
   * Unset: one process with JSON files, as by default.
   */
  redisUrl: string | undefined;
  /**
   * Key of the HMAC that rate-limit keys in Redis are made with, so Redis
   * never holds an address; the same on every instance. Required with
   * `REDIS_URL`.
   */
  rateLimitSecret: string | undefined;
  /** The TURN server for calls (`TURN_URLS`, `TURN_SECRET`), or null: calls go direct. */
  turn: TurnConfig | null;
}

/** One row of the configuration table, as documented in README.md. */
interface Setting {
  env: string;
  default: number;
  min: number;
  max: number;
}

const NUMBER_SETTINGS = {
  port: { env: "PORT", default: 8000, min: 0, max: 65535 },
  maxLifetime: {
    env: "MAX_LIFETIME",
    default: 30 * 24 * 60 * 60,
    min: 60,
    max: 366 * 24 * 60 * 60,
  },
  maxBodyBytes: {
    env: "MAX_BODY_BYTES",
    default: 16 * 1024,
    min: 1024,
    max: 1024 * 1024,
  },
  maxFrameBytes: {
    env: "MAX_FRAME_BYTES",
    default: 128 * 1024,
    min: 4 * 1024,
    max: 16 * 1024 * 1024,
  },
  authTimeoutMs: {
    env: "AUTH_TIMEOUT_MS",
    default: 10_000,
    min: 100,
    max: 120_000,
  },
  sweepIntervalMs: {
    env: "SWEEP_INTERVAL_MS",
    default: 60_000,
    min: 100,
    max: 24 * 60 * 60 * 1000,
  },
  createPerMinute: { env: "CREATE_PER_MINUTE", default: 10, min: 1, max: 1_000_000 },
  joinPerMinute: { env: "JOIN_PER_MINUTE", default: 20, min: 1, max: 1_000_000 },
  connectPerMinute: { env: "CONNECT_PER_MINUTE", default: 60, min: 1, max: 1_000_000 },
  maxSocketsPerParticipant: {
    env: "MAX_SOCKETS_PER_PARTICIPANT",
    default: 4,
    min: 1,
    max: 1000,
  },
  maxSocketsPerAddress: {
    env: "MAX_SOCKETS_PER_ADDRESS",
    default: 64,
    min: 1,
    max: 1_000_000,
  },
  maxSockets: { env: "MAX_SOCKETS", default: 10_000, min: 1, max: 1_000_000 },
  idleTimeoutMs: {
    env: "IDLE_TIMEOUT_MS",
    default: 30_000,
    min: 1000,
    max: 10 * 60 * 1000,
  },
  // A file goes out at about 72 chunk frames a second besides the pace of
  // texts (see lib/client/send_budget.ts); bytes bound the bandwidth.
  sendPerSecond: { env: "SEND_PER_SECOND", default: 100, min: 1, max: 1_000_000 },
  sendBytesPerSecond: {
    env: "SEND_BYTES_PER_SECOND",
    default: 8 * 1024 * 1024,
    min: 64 * 1024,
    max: 1024 * 1024 * 1024,
  },
  drainMs: { env: "DRAIN_MS", default: 0, min: 0, max: 10 * 60 * 1000 },
} satisfies Record<string, Setting>;

function readNumber(
  env: Record<string, string | undefined>,
  setting: Setting,
): number {
  const text = env[setting.env];
  if (text === undefined || text === "") return setting.default;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < setting.min || value > setting.max) {
    throw new RangeError(
      `Invalid ${setting.env} "${text}": expected a whole number from ${setting.min} to ${setting.max}`,
    );
  }
  return value;
}

function readOrigins(env: Record<string, string | undefined>, name: string): string[] {
  const text = env[name];
  if (text === undefined || text.trim() === "") return [];
  return text.split(",").map((part) => {
    const origin = normalizeOrigin(part.trim());
    if (origin === null) {
      throw new TypeError(
        `Invalid ${name} "${text}": expected origins such as https://chat.example, separated by commas`,
      );
    }
    return origin;
  });
}

function readFlag(env: Record<string, string | undefined>, name: string): boolean {
  const text = env[name];
  if (text === undefined || text === "" || text === "0" || text === "false") return false;
  if (text === "1" || text === "true") return true;
  throw new TypeError(`Invalid ${name} "${text}": expected 1, true, 0 or false`);
}

/**
 * Reads the configuration from `env` (by default the process environment).
 *
 * @example
 * ```ts
 * const config = loadConfig({ PORT: "0", DATA_DIR: "/tmp/anon" });
 * ```
 */
export function loadConfig(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Config {
  const tlsCert = env.TLS_CERT || undefined;
  const tlsKey = env.TLS_KEY || undefined;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new TypeError("Invalid TLS settings: set both TLS_CERT and TLS_KEY, or neither");
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^(rediss?:\/\/[^/]|unix:\/\/([^@/]*@)?\/)/.test(redisUrl)) {
    throw new TypeError(
      "Invalid REDIS_URL: expected redis://host:port, rediss://host:port or unix://[user:password@]/path/to/redis.sock",
    );
  }
  const rateLimitSecret = env.RATE_LIMIT_SECRET || undefined;
  if (redisUrl !== undefined && (rateLimitSecret === undefined || rateLimitSecret.length < 32)) {
    throw new TypeError(
      "Invalid RATE_LIMIT_SECRET: with REDIS_URL set, give every instance the same secret of at " +
        "least 32 characters (for example from `openssl rand -hex 32`)",
    );
  }
  return {
    redisUrl,
    rateLimitSecret,
    host: env.HOST || "127.0.0.1",
    dataDir: env.DATA_DIR || "./conversations",
    tlsCert,
    tlsKey,
    port: readNumber(env, NUMBER_SETTINGS.port),
    maxLifetime: readNumber(env, NUMBER_SETTINGS.maxLifetime),
    maxBodyBytes: readNumber(env, NUMBER_SETTINGS.maxBodyBytes),
    maxFrameBytes: readNumber(env, NUMBER_SETTINGS.maxFrameBytes),
    authTimeoutMs: readNumber(env, NUMBER_SETTINGS.authTimeoutMs),
    sweepIntervalMs: readNumber(env, NUMBER_SETTINGS.sweepIntervalMs),
    createPerMinute: readNumber(env, NUMBER_SETTINGS.createPerMinute),
    joinPerMinute: readNumber(env, NUMBER_SETTINGS.joinPerMinute),
    connectPerMinute: readNumber(env, NUMBER_SETTINGS.connectPerMinute),
    maxSocketsPerParticipant: readNumber(env, NUMBER_SETTINGS.maxSocketsPerParticipant),
    maxSocketsPerAddress: readNumber(env, NUMBER_SETTINGS.maxSocketsPerAddress),
    maxSockets: readNumber(env, NUMBER_SETTINGS.maxSockets),
    idleTimeoutMs: readNumber(env, NUMBER_SETTINGS.idleTimeoutMs),
    sendPerSecond: readNumber(env, NUMBER_SETTINGS.sendPerSecond),
    drainMs: readNumber(env, NUMBER_SETTINGS.drainMs),
    sendBytesPerSecond: readNumber(env, NUMBER_SETTINGS.sendBytesPerSecond),
    trustProxy: readFlag(env, "TRUST_PROXY"),
    publicOrigins: readOrigins(env, "PUBLIC_ORIGIN"),
    turn: readTurn(env),
  };
}
