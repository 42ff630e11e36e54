/**
 * The benchmark's phases. Each runs the app and the bare relay in fresh
 * server processes pinned to core 0, interleaved within every round (the
 * order alternating between rounds), and returns the figures of each round.
 *
 * @module
 */
import { type AdmissionFigures, admissions } from "./admissions.ts";
import { type BenchKeys, writeConversations } from "./records.ts";
import {
  barePairs,
  closeSockets,
  idleMemory,
  latency,
  type LatencyFigures,
  type MemoryFigures,
  openSockets,
  throughput,
  type ThroughputFigures,
} from "./relay.ts";
import type { ParticipantPair } from "./relay_driver.ts";
import {
  type ServerKind,
  type ServerOptions,
  type ServerProcess,
  startServer,
} from "./server_process.ts";

/** How much each phase does; `QUICK` is for trying the benchmark out. */
export interface Sizes {
  rounds: number;
  /** Conversations exchanging messages (two sockets each). */
  pairs: number;
  /** Unacknowledged messages per socket in a throughput run. */
  window: number;
  throughputSeconds: number;
  latencySeconds: number;
  /** Conversations on disk in the latency run with expiries under way. */
  sweepConversations: number;
  /** Idle sockets at which memory is measured. */
  idleSockets: number[];
  /** Creates (and then joins) per round. */
  admissions: number;
  handshakes: number;
  cryptoMessages: number;
}

export const FULL: Sizes = {
  rounds: 3,
  pairs: 20,
  window: 32,
  throughputSeconds: 2,
  latencySeconds: 3,
  sweepConversations: 10_000,
  idleSockets: [2000, 8000],
  admissions: 300,
  handshakes: 50,
  cryptoMessages: 300,
};

export const QUICK: Sizes = {
  rounds: 1,
  pairs: 8,
  window: 16,
  throughputSeconds: 0.5,
  latencySeconds: 1,
  sweepConversations: 1000,
  idleSockets: [200, 800],
  admissions: 40,
  handshakes: 5,
  cryptoMessages: 30,
};

const KINDS: ServerKind[] = ["app", "bare"];

/** Runs of a measurement beyond the first when the server was kept from its core. */
const RETRIES = 2;

/** Milliseconds per second the server of a run waited for its core; 0 where unknown. */
function wait(figures: { serverWaitMsPerSecond: number | null }): number {
  return figures.serverWaitMsPerSecond ?? 0;
}

/**
 * Whether the server waited for its core more than a tenth of the run, so
 * the run measured other processes too: in a quiet run the server's own
 * threads make it wait a few hundredths at most.
 */
function disturbed(figures: { serverWaitMsPerSecond: number | null }): boolean {
  return wait(figures) > 100;
}

/** The kinds in the order of round `round`: app first in even rounds, bare first in odd. */
function order(round: number): ServerKind[] {
  return round % 2 === 0 ? KINDS : [...KINDS].reverse();
}

async function withServer<T>(
  options: Omit<ServerOptions, "dataDir"> & { dataDir?: string },
  run: (server: ServerProcess, dataDir: string) => Promise<T>,
  prepare?: (dataDir: string) => Promise<void>,
): Promise<T> {
  const dataDir = options.dataDir ??
    await Deno.makeTempDir({ prefix: `anon-bench-${options.kind}-` });
  try {
    await prepare?.(dataDir);
    const server = await startServer({ ...options, dataDir });
    try {
      return await run(server, dataDir);
    } finally {
      await server.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

/** Participants for `count` conversations of `kind`, written into `dataDir` for the app. */
async function participants(
  kind: ServerKind,
  dataDir: string,
  keys: BenchKeys,
  count: number,
): Promise<ParticipantPair[]> {
  if (kind === "bare") return barePairs(count);
  const hour = Date.now() + 3600_000;
  return await writeConversations(dataDir, keys, count, () => hour);
}

/** Throughput per body, per round, per server: `[body label] → kind → rounds`. */
export type ThroughputRounds = Record<string, Record<ServerKind, ThroughputFigures[]>>;

/** Throughput and CPU per message for every body. */
export async function throughputPhase(
  sizes: Sizes,
  keys: BenchKeys,
  bodies: Record<string, string>,
  log: (line: string) => void,
): Promise<ThroughputRounds> {
  const results: ThroughputRounds = {};
  for (const label of Object.keys(bodies)) results[label] = { app: [], bare: [] };
  for (let round = 0; round < sizes.rounds; round++) {
    for (const kind of order(round)) {
      let pairs: ParticipantPair[] = [];
      await withServer({ kind }, async (server) => {
        const sockets = await openSockets(server, pairs);
        for (const [label, body] of Object.entries(bodies)) {
          const measure = () =>
            throughput(server, sockets, body, sizes.throughputSeconds, sizes.window);
          // As for latency: a run the server spent waiting for its core is run again.
          let figures = await measure();
          for (let again = 0; again < RETRIES && disturbed(figures); again++) {
            const next = await measure();
            if (wait(next) < wait(figures)) figures = next;
          }
          results[label][kind].push(figures);
          log(
            `round ${round + 1} ${kind} ${label}: ${figures.messagesPerSecond.toFixed(0)} msg/s, ` +
              `${figures.cpuMicrosPerMessage.toFixed(1)} us CPU/msg, the server waited for its ` +
              `core ${figures.serverWaitMsPerSecond?.toFixed(0)} ms/s`,
          );
        }
        await closeSockets(sockets);
      }, async (dir) => {
        pairs = await participants(kind, dir, keys, sizes.pairs);
      });
    }
  }
  return results;
}

/** How long after they are written the expiring conversations of the sweep run expire. */
const SWEEP_SPREAD_MS = 120_000;

/** Latency rounds: the app, the app with expiries under way, and the bare relay. */
export interface LatencyRounds {
  app: LatencyFigures[];
  appSweeping: (LatencyFigures & { expiredDuringRun: number })[];
  bare: LatencyFigures[];
}

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for await (const entry of Deno.readDir(dir)) if (entry.name.endsWith(".json")) count++;
  return count;
}

/**
 * One-way latency at `rate` messages per second in all. The sweeping app
 * starts with `sweepConversations` conversations on disk, half of them
 * expiring one by one over the next two minutes (so the run meets expiries
 * however slowly the server starts), and a backstop sweep every
 * 100 ms, so the expiry index is scanned and files are removed throughout.
 */
export async function latencyPhase(
  sizes: Sizes,
  keys: BenchKeys,
  body: string,
  rate: number,
  log: (line: string) => void,
): Promise<LatencyRounds> {
  const results: LatencyRounds = { app: [], appSweeping: [], bare: [] };
  const measure = async (server: ServerProcess, pairs: ParticipantPair[]) => {
    const sockets = await openSockets(server, pairs);
    await latency(sockets, body, rate, 0.5); // Warm-up, not counted.
    // A run in which other processes kept the server from its core measures
    // them: it is run again, at most twice, and the least disturbed kept.
    let figures = await latency(sockets, body, rate, sizes.latencySeconds, server.pid);
    for (let again = 0; again < RETRIES && disturbed(figures); again++) {
      const next = await latency(sockets, body, rate, sizes.latencySeconds, server.pid);
      if (wait(next) < wait(figures)) figures = next;
    }
    await closeSockets(sockets);
    return figures;
  };
  for (let round = 0; round < sizes.rounds; round++) {
    const runs: [keyof LatencyRounds, ServerKind][] = round % 2 === 0
      ? [["app", "app"], ["appSweeping", "app"], ["bare", "bare"]]
      : [["bare", "bare"], ["appSweeping", "app"], ["app", "app"]];
    for (const [name, kind] of runs) {
      let pairs: ParticipantPair[] = [];
      const sweeping = name === "appSweeping";
      const figures = await withServer(
        { kind, env: sweeping ? { SWEEP_INTERVAL_MS: "100" } : {} },
        async (server, dir) => {
          if (!sweeping) return await measure(server, pairs);
          const before = await countFiles(dir);
          const figures = await measure(server, pairs);
          return { ...figures, expiredDuringRun: before - await countFiles(dir) };
        },
        async (dir) => {
          pairs = await participants(kind, dir, keys, sizes.pairs);
          if (!sweeping) return;
          const now = Date.now();
          const half = sizes.sweepConversations / 2;
          await writeConversations(
            dir,
            keys,
            sizes.sweepConversations,
            (i) => i < half ? now + 4000 + (i / half) * SWEEP_SPREAD_MS : now + 3600_000,
          );
        },
      );
      // deno-lint-ignore no-explicit-any
      (results[name] as any[]).push(figures);
      const extra = "expiredDuringRun" in figures
        ? `, ${figures.expiredDuringRun} conversations expired during the run`
        : "";
      log(
        `round ${round + 1} ${name} at ${rate.toFixed(0)} msg/s: p50 ${
          figures.p50Ms.toFixed(2)
        } ms, ` +
          `p99 ${figures.p99Ms.toFixed(2)} ms${extra}; load generator's send lag p99 ` +
          `${figures.sendLagP99Ms.toFixed(1)} ms, waited for a core: server ` +
          `${figures.serverWaitMsPerSecond?.toFixed(0)} ms/s, load ` +
          `${figures.loadWaitMsPerSecond?.toFixed(0)} ms/s`,
      );
    }
  }
  return results;
}

/** Memory per idle socket, per round, per server. */
export type MemoryRounds = Record<ServerKind, MemoryFigures[][]>;

/** Memory per idle authenticated socket at each of `sizes.idleSockets`, after forced GCs. */
export async function memoryPhase(
  sizes: Sizes,
  keys: BenchKeys,
  log: (line: string) => void,
): Promise<MemoryRounds> {
  const results: MemoryRounds = { app: [], bare: [] };
  const most = Math.max(...sizes.idleSockets);
  for (let round = 0; round < sizes.rounds; round++) {
    for (const kind of order(round)) {
      let pairs: ParticipantPair[] = [];
      const figures = await withServer(
        { kind, inspect: true },
        (server) => idleMemory(server, pairs, sizes.idleSockets),
        async (dir) => {
          pairs = await participants(kind, dir, keys, most / 2);
        },
      );
      results[kind].push(figures);
      for (const f of figures) {
        log(
          `round ${round + 1} ${kind} ${f.sockets} idle sockets: ` +
            `${(f.residentPerSocket / 1024).toFixed(1)} KiB resident, ` +
            `${(f.heapPerSocket / 1024).toFixed(1)} KiB heap per socket`,
        );
      }
    }
  }
  return results;
}

/** Creates and joins, per round; the bare relay only creates. */
export interface AdmissionRounds {
  /** With the data directory on the machine's disk: every flush a real one. */
  appCreate: AdmissionFigures[];
  appJoin: AdmissionFigures[];
  bareCreate: AdmissionFigures[];
  /**
   * The same with the data directory on a tmpfs (`/dev/shm`), where a flush
   * writes nothing and costs next to no CPU: the figures without the
   * fsync. Null where there is no tmpfs.
   */
  tmpfs: {
    appCreate: AdmissionFigures[];
    appJoin: AdmissionFigures[];
    bareCreate: AdmissionFigures[];
  } | null;
}

/** `/dev/shm` when it is a tmpfs (Linux), else null. */
export async function tmpfsDir(): Promise<string | null> {
  try {
    const mounts = await Deno.readTextFile("/proc/mounts");
    return /^\S+ \/dev\/shm tmpfs /m.test(mounts) ? "/dev/shm" : null;
  } catch {
    return null;
  }
}

/**
 * Creates and joins per second and server CPU per request, on the disk and
 * (where there is one) on a tmpfs, app and bare relay alternating.
 */
export async function admissionPhase(
  sizes: Sizes,
  keys: BenchKeys,
  log: (line: string) => void,
  cpuProfDir?: string,
): Promise<AdmissionRounds> {
  const shm = await tmpfsDir();
  const results: AdmissionRounds = {
    appCreate: [],
    appJoin: [],
    bareCreate: [],
    tmpfs: shm === null ? null : { appCreate: [], appJoin: [], bareCreate: [] },
  };
  const places: [string, string | undefined][] = [["disk", undefined]];
  if (shm !== null) places.push(["tmpfs", shm]);
  for (let round = 0; round < sizes.rounds; round++) {
    for (const [place, base] of places) {
      const into = place === "disk" ? results : results.tmpfs!;
      for (const kind of order(round)) {
        const profile = kind === "app" && round === 0 && place === "disk" ? cpuProfDir : undefined;
        const dataDir = base === undefined
          ? undefined
          : await Deno.makeTempDir({ dir: base, prefix: `anon-bench-${kind}-` });
        const { create, join } = await withServer(
          { kind, cpuProfDir: profile, dataDir },
          (server) =>
            admissions(server, keys, sizes.admissions, { concurrency: 8, maxSeconds: 20 }),
        );
        if (kind === "app") {
          into.appCreate.push(create);
          into.appJoin.push(join!);
        } else into.bareCreate.push(create);
        const joined = join === null
          ? ""
          : `; ${join.perSecond.toFixed(0)} joins/s, ${join.cpuMicros.toFixed(0)} us CPU each`;
        log(
          `round ${round + 1} ${kind} on ${place}: ${create.perSecond.toFixed(0)} creates/s, ` +
            `${create.cpuMicros.toFixed(0)} us CPU each${joined}`,
        );
      }
    }
  }
  return results;
}
