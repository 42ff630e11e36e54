/**
 * Relay benchmark: throughput, one-way latency, memory per idle connection
 * and conversations created per second, for the app (`main.ts`) and for the
 * bare relay of `bench/bare_relay.ts`, each in its own server process driven
 * from this one, so the ratio to the runtime's ceiling is visible.
 *
 * @module
 */
import {
  admitPair,
  barePair,
  type ParticipantPair,
  percentile,
  randomBody,
  type RelayKind,
  RelaySocket,
  residentBytes,
} from "./relay_driver.ts";
import { createBundle } from "../lib/crypto/bundle.ts";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { generateIdentity } from "../lib/crypto/identity.ts";
import { deriveAccessKey, generateInviteSecret } from "../lib/crypto/invite.ts";

const ROOT = new URL("../", import.meta.url);

/** Sizes of the relay benchmark; small enough for a 2-core machine. */
export interface RelayBenchOptions {
  /** Conversations exchanging messages at once. */
  pairs: number;
  /** Messages each socket sends in the throughput run. */
  messages: number;
  /** Messages each socket may have unacknowledged in the throughput run. */
  window: number;
  /** Bytes of random body per message (the client pads to at least 256). */
  bodyBytes: number;
  /** Messages per second per socket in the latency run, and its length. */
  latencyRate: number;
  latencySeconds: number;
  /** Idle sockets opened to measure memory per connection. */
  idleSockets: number;
  /** Conversations created in the create run, and how many at once. */
  creates: number;
  createConcurrency: number;
}

const DEFAULTS: RelayBenchOptions = {
  pairs: 20,
  messages: 1000,
  window: 32,
  bodyBytes: 512,
  latencyRate: 20,
  latencySeconds: 3,
  idleSockets: 1000,
  creates: 600,
  createConcurrency: 16,
};

/** One relay's figures. */
export interface RelayFigures {
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  bytesPerIdleSocket: number | null;
  createsPerSecond: number;
}

interface Target {
  kind: RelayKind;
  base: string;
  pid: number;
  stop(): Promise<void>;
}

async function startTarget(kind: RelayKind, dataDir: string): Promise<Target> {
  const script = kind === "app" ? "main.ts" : "bench/bare_relay.ts";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(script, ROOT).pathname],
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      NO_COLOR: "1",
      CREATE_PER_MINUTE: "1000000",
      JOIN_PER_MINUTE: "1000000",
      CONNECT_PER_MINUTE: "1000000",
      SEND_PER_SECOND: "1000000",
      MAX_SOCKETS: "100000",
      MAX_SOCKETS_PER_ADDRESS: "100000",
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let port: number | undefined;
  while (port === undefined) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`Cannot start the ${kind} server: ${text}`);
    text += value;
    const match = /"port":(\d+)|"url":"http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
    if (match) port = Number(match[1] ?? match[2]);
  }
  // Keep draining so the server never blocks on a full pipe.
  (async () => {
    while (!(await lines.read()).done) { /* discard */ }
  })();
  return {
    kind,
    base: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function pairsFor(target: Target, count: number, offset = 0): Promise<ParticipantPair[]> {
  if (target.kind === "bare") {
    return Array.from({ length: count }, (_, i) => barePair(offset + i));
  }
  const pairs: ParticipantPair[] = [];
  for (let i = 0; i < count; i += 16) {
    const batch = Math.min(16, count - i);
    pairs.push(...await Promise.all(Array.from({ length: batch }, () => admitPair(target.base))));
  }
  return pairs;
}

async function connect(target: Target, pairs: ParticipantPair[]): Promise<RelaySocket[]> {
  const sockets: RelaySocket[] = [];
  for (const [a, b] of pairs) {
    sockets.push(await RelaySocket.open(target.base, target.kind, a, b));
    sockets.push(await RelaySocket.open(target.base, target.kind, b, a));
  }
  return sockets;
}

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Every socket sends `messages` with at most `window` unacknowledged. */
async function throughput(sockets: RelaySocket[], options: RelayBenchOptions): Promise<number> {
  const body = randomBody(options.bodyBytes);
  const sent = new Map(sockets.map((s) => [s, 0]));
  const start = performance.now();
  const pump = () => {
    for (const socket of sockets) {
      let n = sent.get(socket)!;
      while (n < options.messages && n - socket.tally.acked.size < options.window) {
        socket.send(body);
        n++;
      }
      sent.set(socket, n);
    }
  };
  const timer = setInterval(pump, 1);
  pump();
  try {
    await until(
      () => sockets.every((s) => s.tally.acked.size >= options.messages),
      "the throughput run",
    );
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - start) / 1000;
  return (sockets.length * options.messages) / seconds;
}

/** Every socket sends at a fixed rate; returns one-way latencies. */
async function latency(sockets: RelaySocket[], options: RelayBenchOptions): Promise<number[]> {
  for (const socket of sockets) socket.tally.latencies.length = 0;
  const body = randomBody(options.bodyBytes);
  const ticks = options.latencyRate * options.latencySeconds;
  const before = sockets.map((s) => s.tally.acked.size);
  for (let tick = 0; tick < ticks; tick++) {
    for (const socket of sockets) socket.send(body);
    await new Promise((resolve) => setTimeout(resolve, 1000 / options.latencyRate));
  }
  await until(
    () => sockets.every((s, i) => s.tally.acked.size >= before[i] + ticks),
    "the latency run",
  );
  return sockets.flatMap((s) => s.tally.latencies);
}

/** Resident memory added per authenticated idle socket. */
async function idleMemory(target: Target, options: RelayBenchOptions): Promise<number | null> {
  const pairs = await pairsFor(target, options.idleSockets / 2, 100_000);
  const before = await residentBytes(target.pid);
  const sockets = await connect(target, pairs);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await residentBytes(target.pid);
  await Promise.all(sockets.map((s) => s.close()));
  if (before === null || after === null) return null;
  return (after - before) / sockets.length;
}

/** Conversations created per second, `createConcurrency` at a time. */
async function creates(target: Target, options: RelayBenchOptions): Promise<number> {
  const access = await deriveAccessKey(generateInviteSecret());
  const body = JSON.stringify({
    accessKey: encodeBase64Url(access.publicKey),
    bundle: await createBundle(await generateIdentity(), access.privateKey),
    lifetime: 3600,
  });
  const url = target.kind === "app" ? `${target.base}/api/conversations` : `${target.base}/create`;
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: options.createConcurrency }, async () => {
    while (next++ < options.creates) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      await response.body?.cancel();
      if (response.status !== 201) throw new Error(`Create failed: ${response.status}`);
    }
  }));
  return options.creates / ((performance.now() - start) / 1000);
}

/** Runs every measurement against one relay. */
export async function measureRelay(
  kind: RelayKind,
  options: RelayBenchOptions = DEFAULTS,
): Promise<RelayFigures> {
  const dataDir = await Deno.makeTempDir({ prefix: `anon-bench-${kind}-` });
  const target = await startTarget(kind, dataDir);
  try {
    const sockets = await connect(target, await pairsFor(target, options.pairs));
    const messagesPerSecond = await throughput(sockets, options);
    const latencies = await latency(sockets, options);
    await Promise.all(sockets.map((s) => s.close()));
    const bytesPerIdleSocket = await idleMemory(target, options);
    const createsPerSecond = await creates(target, options);
    return {
      messagesPerSecond,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      bytesPerIdleSocket,
      createsPerSecond,
    };
  } finally {
    await target.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

function format(value: number | null, digits: number): string {
  return value === null || Number.isNaN(value) ? "n/a" : value.toFixed(digits);
}

/** Measures both relays and prints them side by side with their ratio. */
export async function runRelayBench(options: Partial<RelayBenchOptions> = {}): Promise<void> {
  const sizes = { ...DEFAULTS, ...options };
  console.log(
    `Relay: ${sizes.pairs} conversations, ${sizes.messages} messages per socket, ` +
      `${sizes.bodyBytes}-byte bodies; latency at ${sizes.latencyRate}/s per socket; ` +
      `${sizes.idleSockets} idle sockets; ${sizes.creates} creates, ${sizes.createConcurrency} at once`,
  );
  const bare = await measureRelay("bare", sizes);
  const app = await measureRelay("app", sizes);
  const rows: [string, keyof RelayFigures, number, number][] = [
    ["relay throughput (msg/s)", "messagesPerSecond", 0, 1],
    ["latency p50 (ms)", "p50Ms", 2, 1],
    ["latency p99 (ms)", "p99Ms", 2, 1],
    ["memory per idle socket (KiB)", "bytesPerIdleSocket", 1, 1 / 1024],
    ["conversations created (per s)", "createsPerSecond", 0, 1],
  ];
  console.log(
    `${"".padEnd(32)}${"app".padStart(12)}${"bare".padStart(12)}${"app/bare".padStart(10)}`,
  );
  for (const [label, key, digits, scale] of rows) {
    const a = app[key] === null ? null : app[key]! * scale;
    const b = bare[key] === null ? null : bare[key]! * scale;
    const ratio = a === null || b === null || b === 0 ? null : a / b;
    console.log(
      `${label.padEnd(32)}${format(a, digits).padStart(12)}${format(b, digits).padStart(12)}${
        format(ratio, 2).padStart(10)
      }`,
    );
  }
}
