/**
 * Cross-instance relay benchmark: one person's socket on instance A, the
 * other's on instance B, both in Redis mode on one `redis-server`, beside
 * the single process with both sockets on it. Reports messages per second,
 * CPU per message (all server processes, Redis included) and one-way
 * latency p50/p99.
 *
 * @module
 */
import {
  admitPair,
  type ParticipantPair,
  percentile,
  randomBody,
  RelaySocket,
} from "./relay_driver.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const SIZES = { pairs: 10, messages: 500, window: 32, bodyBytes: 512, latencyRate: 20, seconds: 3 };
const LIMITS = {
  CREATE_PER_MINUTE: "1000000",
  JOIN_PER_MINUTE: "1000000",
  CONNECT_PER_MINUTE: "1000000",
  SEND_PER_SECOND: "1000000",
  SEND_BYTES_PER_SECOND: String(1024 * 1024 * 1024),
};

interface Proc {
  pid: number;
  base?: string;
  stop(): Promise<void>;
}

async function startApp(env: Record<string, string>): Promise<Proc & { base: string }> {
  const dataDir = await Deno.makeTempDir({ prefix: "anon-bench-cluster-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN],
    env: { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, NO_COLOR: "1", ...LIMITS, ...env },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let base: string | undefined;
  while (base === undefined) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`Cannot start an instance: ${text}`);
    text += value;
    base = /"url":"(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
  }
  (async () => {
    while (!(await lines.read()).done) { /* discard */ }
  })();
  return {
    pid: child.pid,
    base,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

async function startRedisServer(): Promise<Proc & { url: string }> {
  const dir = await Deno.makeTempDir({ prefix: "anon-bench-redis-" });
  const socket = `${dir}/redis.sock`;
  const child = new Deno.Command("redis-server", {
    args: ["--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no", "--dir", dir],
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0; i < 200; i++) {
    try {
      (await Deno.connect({ transport: "unix", path: socket })).close();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return {
    pid: child.pid,
    url: `unix://${socket}`,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** CPU time a process has used so far, in milliseconds (Linux). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1].split(" ");
  // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function until(check: () => boolean): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error("Timed out");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Relays between sockets opened with `baseOf`; every process in `pids` counts for CPU. */
async function measure(pairs: ParticipantPair[], bases: [string, string], pids: number[]) {
  const sockets: RelaySocket[] = [];
  for (const [a, b] of pairs) {
    sockets.push(await RelaySocket.open(bases[0], "app", a, b));
    sockets.push(await RelaySocket.open(bases[1], "app", b, a));
  }
  // Each side must see the other online before sending.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const body = randomBody(SIZES.bodyBytes);
  const cpuBefore = await Promise.all(pids.map(cpuMs));
  const sent = new Map(sockets.map((s) => [s, 0]));
  const start = performance.now();
  const pump = () => {
    for (const socket of sockets) {
      let n = sent.get(socket)!;
      while (n < SIZES.messages && n - socket.tally.acked.size < SIZES.window) {
        socket.send(body);
        n++;
      }
      sent.set(socket, n);
    }
  };
  const timer = setInterval(pump, 1);
  pump();
  await until(() => sockets.every((s) => s.tally.acked.size >= SIZES.messages));
  clearInterval(timer);
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = await Promise.all(pids.map(cpuMs));
  const messages = sockets.length * SIZES.messages;
  const cpu = cpuAfter.reduce((sum, t, i) => sum + t - cpuBefore[i], 0);
  for (const socket of sockets) socket.tally.latencies.length = 0;
  const ticks = SIZES.latencyRate * SIZES.seconds;
  const before = sockets.map((s) => s.tally.acked.size);
  for (let tick = 0; tick < ticks; tick++) {
    for (const socket of sockets) socket.send(body);
    await new Promise((resolve) => setTimeout(resolve, 1000 / SIZES.latencyRate));
  }
  await until(() => sockets.every((s, i) => s.tally.acked.size >= before[i] + ticks));
  const latencies = sockets.flatMap((s) => s.tally.latencies);
  await Promise.all(sockets.map((s) => s.close()));
  return {
    perSecond: messages / seconds,
    // Each message is relayed with its receipt: both are counted in the CPU time.
    cpuMsPerMessage: cpu / messages,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** Prints the single process and the two instances on Redis side by side. */
export async function runClusterRelayBench(): Promise<void> {
  try {
    await new Deno.Command("redis-server", { args: ["--version"], stdout: "null" }).output();
  } catch {
    return console.log("Cross-instance relay: skipped, redis-server is not installed");
  }
  console.log(
    `Cross-instance relay: ${SIZES.pairs} conversations, ${SIZES.messages} messages per socket, ` +
      `${SIZES.bodyBytes}-byte bodies; latency at ${SIZES.latencyRate}/s per socket`,
  );
  const single = await startApp({});
  let one;
  try {
    const pairs = await Promise.all(
      Array.from({ length: SIZES.pairs }, () => admitPair(single.base)),
    );
    one = await measure(pairs, [single.base, single.base], [single.pid]);
  } finally {
    await single.stop();
  }
  const redis = await startRedisServer();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_SECRET: "bench-".padEnd(40, "x") };
  const a = await startApp(env);
  const b = await startApp(env);
  let two;
  try {
    const pairs = await Promise.all(Array.from({ length: SIZES.pairs }, () => admitPair(a.base)));
    two = await measure(pairs, [a.base, b.base], [a.pid, b.pid, redis.pid]);
  } finally {
    await a.stop();
    await b.stop();
    await redis.stop();
  }
  const rows: [string, number, number, number][] = [
    ["relay throughput (msg/s)", one.perSecond, two.perSecond, 0],
    ["CPU per message (ms, all processes)", one.cpuMsPerMessage, two.cpuMsPerMessage, 3],
    ["latency p50 (ms)", one.p50, two.p50, 2],
    ["latency p99 (ms)", one.p99, two.p99, 2],
  ];
  console.log(`${"".padEnd(38)}${"single".padStart(10)}${"A ↔ B".padStart(10)}`);
  for (const [label, x, y, digits] of rows) {
    console.log(
      `${label.padEnd(38)}${x.toFixed(digits).padStart(10)}${y.toFixed(digits).padStart(10)}`,
    );
  }
}

if (import.meta.main) await runClusterRelayBench();
