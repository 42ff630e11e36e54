/**
 * The benchmark's creates and joins: per round, on the disk and on a tmpfs,
 * app and bare relay alternating in fresh server processes.
 *
 * @module
 */
import { type AdmissionFigures, admissions } from "./admissions.ts";
import type { BenchKeys } from "./records.ts";
import { order, type Sizes, withServer } from "./phase_common.ts";

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
