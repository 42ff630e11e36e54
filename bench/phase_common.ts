/**
 * What every phase of the benchmark shares: how much each does (`FULL`,
 * `QUICK`), the order of app and bare relay within a round, the rule that
 * runs a disturbed measurement again, and a server process with its own data
 * directory.
 *
 * @module
 */
import { type BenchKeys, writeConversations } from "./records.ts";
import { barePairs } from "./relay.ts";
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
  /** Seconds of each server's throughput run of a body, in all. */
  throughputSeconds: number;
  /** Slices each server's run of a body is cut into, alternating with the other's. */
  throughputSlices: number;
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
  throughputSeconds: 4,
  throughputSlices: 4,
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
  throughputSlices: 1,
  latencySeconds: 1,
  sweepConversations: 1000,
  idleSockets: [200, 800],
  admissions: 40,
  handshakes: 5,
  cryptoMessages: 30,
};

const KINDS: ServerKind[] = ["app", "bare"];

/** Runs of a measurement beyond the first when the server was kept from its core. */
export const RETRIES = 2;

/** Milliseconds per second the server of a run waited for its core; 0 where unknown. */
export function wait(figures: { serverWaitMsPerSecond: number | null }): number {
  return figures.serverWaitMsPerSecond ?? 0;
}

/**
 * Whether the server waited for its core more than a tenth of the run, so
 * the run measured other processes too: in a quiet run the server's own
 * threads make it wait a few hundredths at most.
 */
export function disturbed(figures: { serverWaitMsPerSecond: number | null }): boolean {
  return wait(figures) > 100;
}

/** The kinds in the order of round `round`: app first in even rounds, bare first in odd. */
export function order(round: number): ServerKind[] {
  return round % 2 === 0 ? KINDS : [...KINDS].reverse();
}

/**
 * Runs `run` against a fresh server of `options.kind` with its own data
 * directory (prepared by `prepare` before the server starts), then stops the
 * server and removes the directory.
 */
export async function withServer<T>(
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
export async function participants(
  kind: ServerKind,
  dataDir: string,
  keys: BenchKeys,
  count: number,
): Promise<ParticipantPair[]> {
  if (kind === "bare") return barePairs(count);
  const hour = Date.now() + 3600_000;
  return await writeConversations(dataDir, keys, count, () => hour);
}
