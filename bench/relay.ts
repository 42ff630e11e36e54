/**
 * The relay measurements, each against one server process: throughput with
 * the server's CPU per relayed message, one-way latency at a fixed open-loop
 * rate, and memory per idle authenticated socket after a forced GC. Every
 * loop is bounded in time.
 *
 * @module
 */
import { barePair, type ParticipantPair, percentile, RelaySocket } from "./relay_driver.ts";
import type { ServerProcess } from "./server_process.ts";

/** Opens both sockets of every pair, `concurrency` pairs at a time. */
export async function openSockets(
  server: ServerProcess,
  pairs: ParticipantPair[],
  concurrency = 128,
): Promise<RelaySocket[]> {
  const sockets: RelaySocket[] = [];
  for (let i = 0; i < pairs.length; i += concurrency) {
    const batch = pairs.slice(i, i + concurrency);
    const opened = await Promise.all(batch.flatMap(([a, b]) => [
      RelaySocket.open(server.base, server.kind, a, b),
      RelaySocket.open(server.base, server.kind, b, a),
    ]));
    sockets.push(...opened);
  }
  return sockets;
}

/** Closes sockets, waiting at most `timeoutMs` for them. */
export async function closeSockets(sockets: RelaySocket[], timeoutMs = 20_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(sockets.map((s) => s.close())),
    new Promise((resolve) => timer = setTimeout(resolve, timeoutMs)),
  ]);
  clearTimeout(timer);
}

/** Participants for the bare relay, which checks nothing. */
export function barePairs(count: number, offset = 0): ParticipantPair[] {
  return Array.from({ length: count }, (_, i) => barePair(offset + i));
}

function acked(sockets: RelaySocket[]): number {
  let total = 0;
  for (const socket of sockets) total += socket.tally.ackedCount;
  return total;
}

function resetTallies(sockets: RelaySocket[]): void {
  for (const socket of sockets) {
    socket.tally.acked.clear();
    socket.tally.received.clear();
    socket.tally.latencies.length = 0;
    socket.tally.receivedCount = 0;
    socket.tally.ackedCount = 0;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

/** Figures of one throughput run. */
export interface ThroughputFigures {
  /** Messages relayed and acknowledged per second. */
  messagesPerSecond: number;
  /** Server CPU (user + system) per relayed message, ack included, in microseconds. */
  cpuMicrosPerMessage: number;
  /** Messages relayed in the run. */
  messages: number;
  /** Milliseconds per second the server waited runnable for a core; null where unknown. */
  serverWaitMsPerSecond: number | null;
}

/**
 * Every socket keeps `window` messages unacknowledged for `seconds`, then
 * waits for the last acks. A relayed message costs the server a `send` in,
 * a `message` out, an `ack` in and an `ack` out, for both relays alike.
 */
export async function throughput(
  server: ServerProcess,
  sockets: RelaySocket[],
  body: string,
  seconds: number,
  window: number,
): Promise<ThroughputFigures> {
  const run = async (ms: number) => {
    resetTallies(sockets);
    const sent = new Map(sockets.map((s) => [s, 0]));
    let sending = true;
    const pump = () => {
      if (!sending) return;
      for (const socket of sockets) {
        let n = sent.get(socket)!;
        while (n - socket.tally.ackedCount < window) {
          socket.send(body);
          n++;
        }
        sent.set(socket, n);
      }
    };
    const timer = setInterval(pump, 1);
    pump();
    await new Promise((resolve) => setTimeout(resolve, ms));
    sending = false;
    clearInterval(timer);
    let total = 0;
    for (const n of sent.values()) total += n;
    if (!await until(() => acked(sockets) >= total, 30_000)) {
      throw new Error(`Relay lost messages: ${acked(sockets)} of ${total} acknowledged`);
    }
    return total;
  };
  // Counts only: maps of every message ID would make the load generator pause to collect them.
  for (const socket of sockets) socket.keepIds = false;
  try {
    await run(Math.min(500, seconds * 250)); // JIT warm-up, not counted.
    const cpuBefore = await server.cpuMicros();
    const waitBefore = await runQueueWaitNanos(server.pid);
    const start = performance.now();
    const messages = await run(seconds * 1000);
    const elapsed = (performance.now() - start) / 1000;
    const cpu = await server.cpuMicros() - cpuBefore;
    const waitAfter = await runQueueWaitNanos(server.pid);
    return {
      messagesPerSecond: messages / elapsed,
      cpuMicrosPerMessage: cpu / messages,
      messages,
      serverWaitMsPerSecond: waitBefore === null || waitAfter === null
        ? null
        : Math.max(0, waitAfter - waitBefore) / 1e6 / elapsed,
    };
  } finally {
    for (const socket of sockets) socket.keepIds = true;
  }
}

/** Figures of one latency run. */
export interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  /** Messages measured. */
  messages: number;
  /** Messages per second offered, over all sockets. */
  rate: number;
  /**
   * How late the load generator sent messages against their schedule, p50
   * and p99 in milliseconds: large values mean the run measured the load
   * generator, not the server.
   */
  sendLagP50Ms: number;
  sendLagP99Ms: number;
  /**
   * Milliseconds per second of the run that the server's threads and this
   * process's were ready to run but waited for a core (`/proc/<pid>/schedstat`),
   * taken by other processes: null where that is not readable.
   */
  serverWaitMsPerSecond: number | null;
  loadWaitMsPerSecond: number | null;
}

/**
 * Nanoseconds all threads of process `pid` waited runnable for a core, or
 * null. A thread that ended between two readings takes its share with it,
 * so a difference can come out below zero: callers count that as none.
 */
export async function runQueueWaitNanos(pid: number): Promise<number | null> {
  try {
    let total = 0;
    for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
      const stat = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/schedstat`)
        .catch(() => null);
      if (stat !== null) total += Number(stat.split(" ")[1]);
    }
    return total;
  } catch {
    return null;
  }
}

/** Ticks of the open-loop schedule per millisecond: messages go out in small groups. */
const TICK_MS = 1;

/**
 * Sends `rate` messages per second in all, round-robin over the sockets, on
 * a fixed schedule whatever the answers (open loop), for `seconds`; returns
 * the one-way latencies, send to receipt by the peer, with how late this
 * process kept the schedule and how long the server (process `serverPid`)
 * and this process waited for a core. Each message goes out at its own
 * scheduled moment when the timer allows (a timer fires at best every
 * millisecond, so within a tick messages go out together, as few as the
 * rate allows), and its latency counts from when it actually went out.
 */
export async function latency(
  sockets: RelaySocket[],
  body: string,
  rate: number,
  seconds: number,
  serverPid?: number,
): Promise<LatencyFigures> {
  resetTallies(sockets);
  for (const socket of sockets) socket.keepIds = false;
  const total = Math.max(1, Math.round(rate * seconds));
  const sendLags = new Float64Array(total);
  let sent = 0;
  const waitBefore = serverPid === undefined ? null : await runQueueWaitNanos(serverPid);
  const loadWaitBefore = await runQueueWaitNanos(Deno.pid);
  const start = performance.now();
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) * rate / 1000) + 1);
    for (; sent < due; sent++) {
      sendLags[sent] = now - (start + sent * 1000 / rate);
      sockets[sent % sockets.length].send(body);
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const elapsed = (performance.now() - start) / 1000;
  const waitAfter = serverPid === undefined ? null : await runQueueWaitNanos(serverPid);
  const loadWaitAfter = await runQueueWaitNanos(Deno.pid);
  const done = await until(() => acked(sockets) >= total, 30_000);
  for (const socket of sockets) socket.keepIds = true;
  if (!done) throw new Error(`Relay lost messages: ${acked(sockets)} of ${total} acknowledged`);
  const latencies = sockets.flatMap((s) => s.tally.latencies);
  const perSecond = (before: number | null, after: number | null) =>
    before === null || after === null ? null : Math.max(0, after - before) / 1e6 / elapsed;
  return {
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    messages: latencies.length,
    rate,
    sendLagP50Ms: percentile([...sendLags], 0.5),
    sendLagP99Ms: percentile([...sendLags], 0.99),
    serverWaitMsPerSecond: perSecond(waitBefore, waitAfter),
    loadWaitMsPerSecond: perSecond(loadWaitBefore, loadWaitAfter),
  };
}

/** Memory per idle socket at one socket count. */
export interface MemoryFigures {
  sockets: number;
  /** Resident memory added per socket, after GC, in bytes. */
  residentPerSocket: number;
  /** V8 heap in use added per socket, after GC, in bytes. */
  heapPerSocket: number;
}

/**
 * Opens idle authenticated sockets in steps up to each of `counts` (given
 * as sockets, two per pair) and measures, after forced GCs, what each adds
 * over the server with none. `pairs` must hold `max(counts) / 2` pairs.
 */
export async function idleMemory(
  server: ServerProcess,
  pairs: ParticipantPair[],
  counts: number[],
): Promise<MemoryFigures[]> {
  // Warm up the code paths of a connect, then measure the empty server.
  await closeSockets(await openSockets(server, pairs.slice(0, 16)));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const heap = await server.gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { heap, resident: await server.residentBytes() };
  };
  const base = await settle();
  const open: RelaySocket[] = [];
  const figures: MemoryFigures[] = [];
  for (const count of counts) {
    const from = open.length / 2;
    open.push(...await openSockets(server, pairs.slice(from, count / 2)));
    const now = await settle();
    figures.push({
      sockets: open.length,
      residentPerSocket: (now.resident - base.resident) / open.length,
      heapPerSocket: (now.heap - base.heap) / open.length,
    });
  }
  // Closed by the server's end; waiting for 8k closing handshakes here costs time, not accuracy.
  for (const relay of open) relay.socket.close();
  return figures;
}
