/**
 * The relay's phases: throughput, latency and memory per idle socket. Each
 * runs the app and the bare relay in fresh server processes pinned to core
 * 0, interleaved within every round (the order alternating between rounds),
 * and returns the figures of each round. Creates and joins are in
 * `admission_phase.ts`; what the phases share in `phase_common.ts`.
 *
 * @module
 */
import { type BenchKeys, writeConversations } from "./records.ts";
import {
  closeSockets,
  idleMemory,
  latency,
  type LatencyFigures,
  type MemoryFigures,
  openSockets,
  throughput,
  type ThroughputFigures,
} from "./relay.ts";
import type { ParticipantPair, RelaySocket } from "./relay_driver.ts";
import type { ServerKind, ServerProcess } from "./server_process.ts";
import {
  disturbed,
  order,
  participants,
  RETRIES,
  type Sizes,
  wait,
  withServer,
} from "./phase_common.ts";

/** Throughput per body, per round, per server: `[body label] → kind → rounds`. */
export type ThroughputRounds = Record<string, Record<ServerKind, ThroughputFigures[]>>;

/**
 * Throughput and CPU per message for every body. Both servers run through a
 * round (the idle one costs nothing), and the run of a body is cut into
 * slices that alternate between them, which goes first alternating too:
 * each server's figures are the sum of its slices, so a change in what else
 * the machine does within the run weighs on both alike.
 */
export async function throughputPhase(
  sizes: Sizes,
  keys: BenchKeys,
  bodies: Record<string, string>,
  log: (line: string) => void,
): Promise<ThroughputRounds> {
  const results: ThroughputRounds = {};
  for (const label of Object.keys(bodies)) results[label] = { app: [], bare: [] };
  const sliceSeconds = sizes.throughputSeconds / sizes.throughputSlices;
  for (let round = 0; round < sizes.rounds; round++) {
    const servers = new Map<ServerKind, { server: ServerProcess; sockets: RelaySocket[] }>();
    const run = async () => {
      for (const [label, body] of Object.entries(bodies)) {
        const slices: Record<ServerKind, ThroughputFigures[]> = { app: [], bare: [] };
        for (let slice = 0; slice < sizes.throughputSlices; slice++) {
          for (const kind of order(round + slice)) {
            const { server, sockets } = servers.get(kind)!;
            const measure = () => throughput(server, sockets, body, sliceSeconds, sizes.window);
            // As for latency: a slice the server spent waiting for its core is run again.
            let figures = await measure();
            for (let again = 0; again < RETRIES && disturbed(figures); again++) {
              const next = await measure();
              if (wait(next) < wait(figures)) figures = next;
            }
            slices[kind].push(figures);
          }
        }
        for (const kind of order(round)) {
          const figures = sumSlices(slices[kind]);
          results[label][kind].push(figures);
          log(
            `round ${round + 1} ${kind} ${label}: ${figures.messagesPerSecond.toFixed(0)} msg/s, ` +
              `${figures.cpuMicrosPerMessage.toFixed(1)} us CPU/msg, the server waited for its ` +
              `core ${figures.serverWaitMsPerSecond?.toFixed(0)} ms/s`,
          );
        }
      }
    };
    // Each server with its own data directory, the app's conversations written before it starts.
    const serve = (kinds: ServerKind[]): Promise<void> => {
      if (kinds.length === 0) return run();
      const [kind, ...rest] = kinds;
      let pairs: ParticipantPair[] = [];
      return withServer({ kind }, async (server) => {
        const sockets = await openSockets(server, pairs);
        servers.set(kind, { server, sockets });
        try {
          await serve(rest);
        } finally {
          await closeSockets(sockets);
        }
      }, async (dir) => {
        pairs = await participants(kind, dir, keys, sizes.pairs);
      });
    };
    await serve(order(round));
  }
  return results;
}

/** One server's figures over its slices of a run: totals, not an average of rates. */
function sumSlices(slices: ThroughputFigures[]): ThroughputFigures {
  let messages = 0;
  let cpu = 0;
  let seconds = 0;
  let waitMs: number | null = 0;
  for (const slice of slices) {
    const sliceSeconds = slice.messages / slice.messagesPerSecond;
    messages += slice.messages;
    cpu += slice.cpuMicrosPerMessage * slice.messages;
    seconds += sliceSeconds;
    waitMs = waitMs === null || slice.serverWaitMsPerSecond === null
      ? null
      : waitMs + slice.serverWaitMsPerSecond * sliceSeconds;
  }
  return {
    messagesPerSecond: messages / seconds,
    cpuMicrosPerMessage: cpu / messages,
    messages,
    serverWaitMsPerSecond: waitMs === null ? null : waitMs / seconds,
  };
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
