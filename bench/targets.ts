/**
 * The targets, each beside its measured value, ratio and verdict,
 * followed by the figures that have no target (throughput, p50, creates per
 * second, the cryptography in Deno and Chromium).
 *
 * @module
 */
import { admissionRows } from "./admission_rows.ts";
import type { CryptoResults } from "./crypto.ts";
import type { PageWeight } from "./page_weight.ts";
import type { AdmissionRounds } from "./admission_phase.ts";
import type { Sizes } from "./phase_common.ts";
import type { LatencyRounds, MemoryRounds, ThroughputRounds } from "./phases.ts";
import type { LatencyFigures } from "./relay.ts";
import { ratios, type Row, spread } from "./report.ts";

/** Every figure of one benchmark run. */
export interface Figures {
  throughput: ThroughputRounds;
  latency: LatencyRounds;
  memory: MemoryRounds;
  admissions: AdmissionRounds;
  /** What the chat page loads up front (the target's figure). */
  page: PageWeight;
  /** The same once the parts it fetches while idle have arrived. */
  pageAfterIdle: PageWeight;
  compression: { checked: number; uncompressed: string[] };
  crypto: CryptoResults;
}

const CPU_RATIO = 1.15;
const MEMORY_RATIO = 1.1;
const P99_RATIO = 1.3;
const PAGE_KB = 30;

/**
 * The relay's rows alone: CPU per message and memory per idle socket
 * against their targets, then messages per second and the V8 heap per
 * socket; what `deno task bench --only=relay` prints.
 */
export function relayRows(
  throughput: ThroughputRounds,
  memory: MemoryRounds,
  sizes: Sizes,
  realLabel: string,
): Row[] {
  const { perSecond, heap } = relayInfoRows(throughput, memory, sizes);
  return [...relayTargetRows(throughput, memory, sizes, realLabel), ...perSecond, heap];
}

function relayTargetRows(
  throughput: ThroughputRounds,
  memory: MemoryRounds,
  sizes: Sizes,
  realLabel: string,
): Row[] {
  const rows: Row[] = [];
  for (const label of Object.keys(throughput)) {
    const app = throughput[label].app.map((f) => f.cpuMicrosPerMessage);
    const bare = throughput[label].bare.map((f) => f.cpuMicrosPerMessage);
    const ratio = ratios(app, bare);
    const targeted = label !== realLabel;
    rows.push({
      label: `server CPU per message, ${label} (us)`,
      app: spread(app),
      bare: spread(bare),
      ratio,
      target: targeted ? `<= ${CPU_RATIO}x bare` : "",
      pass: targeted ? ratio.median <= CPU_RATIO : null,
    });
  }
  sizes.idleSockets.forEach((count, i) => {
    const app = memory.app.map((round) => round[i].residentPerSocket / 1024);
    const bare = memory.bare.map((round) => round[i].residentPerSocket / 1024);
    const ratio = ratios(app, bare);
    const targeted = count === Math.max(...sizes.idleSockets);
    rows.push({
      label: `memory per idle socket at ${count}, resident after GC (KiB)`,
      app: spread(app),
      bare: spread(bare),
      ratio,
      target: targeted ? `<= ${MEMORY_RATIO}x bare` : "",
      pass: targeted ? ratio.median <= MEMORY_RATIO : null,
    });
  });
  return rows;
}

/** Messages per second for each body, and the V8 heap per idle socket at the most sockets. */
function relayInfoRows(
  throughput: ThroughputRounds,
  memory: MemoryRounds,
  sizes: Sizes,
): { perSecond: Row[]; heap: Row } {
  const perSecond = Object.keys(throughput).map((label) =>
    info(
      `messages per second, ${label}`,
      throughput[label].app.map((f) => f.messagesPerSecond),
      throughput[label].bare.map((f) => f.messagesPerSecond),
    )
  );
  const heapAt = memory.app[0].length - 1;
  const heap = info(
    `V8 heap per idle socket at ${sizes.idleSockets[heapAt]} (KiB)`,
    memory.app.map((round) => round[heapAt].heapPerSocket / 1024),
    memory.bare.map((round) => round[heapAt].heapPerSocket / 1024),
  );
  return { perSecond, heap };
}

/** The table's rows: targets first, then information. */
export function targetRows(figures: Figures, sizes: Sizes, realLabel: string): Row[] {
  const { throughput, latency, memory, admissions, page, compression, crypto } = figures;
  const rows = relayTargetRows(throughput, memory, sizes, realLabel);
  const latencyInfo = latencyRows(latency);
  rows.push(...latencyInfo.targets);
  const brotliKb = page.brotli / 1000;
  rows.push({
    label: "chat page JavaScript at start, brotli (kB)",
    app: null,
    bare: null,
    ratio: brotliKb,
    target: `<= ${PAGE_KB} kB`,
    pass: brotliKb <= PAGE_KB,
  });
  rows.push({
    label: `text assets sent uncompressed (of ${compression.checked})`,
    app: null,
    bare: null,
    ratio: compression.uncompressed.length,
    target: "0",
    pass: compression.uncompressed.length === 0,
  });
  const admissionInfo = admissionRows(admissions);
  rows.push(...admissionInfo.targets);
  // Information without a target.
  const relayInfo = relayInfoRows(throughput, memory, sizes);
  rows.push(...relayInfo.perSecond);
  rows.push(...latencyInfo.info);
  rows.push(info(
    "conversations expired during the run",
    latency.appSweeping.map((f) => f.expiredDuringRun),
    null,
  ));
  rows.push(relayInfo.heap);
  rows.push(...admissionInfo.info);
  rows.push(value("chat page JavaScript at start, gzip (kB)", page.gzip / 1000));
  rows.push(value("chat page JavaScript at start, raw (kB)", page.raw / 1000));
  rows.push(
    value("chat page JavaScript after idle, brotli (kB)", figures.pageAfterIdle.brotli / 1000),
  );
  for (const [runtime, backends] of Object.entries(crypto)) {
    for (const [backend, f] of Object.entries(backends)) {
      rows.push(value(`${runtime}, ${backend} ML-KEM: handshake (ms)`, f.handshakeMs));
      rows.push(value(`${runtime}, ${backend} ML-KEM: message out and in (ms)`, f.messageMs));
      rows.push(
        value(
          `${runtime}, ${backend} ML-KEM: forged header, 25,000 keys ahead, refused (ms)`,
          f.forgedSkipMs,
        ),
      );
    }
  }
  return rows;
}

/** The latency rows: the p99 targets, and p50, the load generator's lag and waits for a core. */
export function latencyRows(latency: LatencyRounds): { targets: Row[]; info: Row[] } {
  const rows: Row[] = [];
  const bareP99 = latency.bare.map((f) => f.p99Ms);
  for (
    const [name, runs] of [["", latency.app], [
      ", expiries under way",
      latency.appSweeping,
    ]] as const
  ) {
    const app = runs.map((f) => f.p99Ms);
    const ratio = ratios(app, bareP99);
    rows.push({
      label: `relay p99 at half the max rate${name} (ms)`,
      app: spread(app),
      bare: spread(bareP99),
      ratio,
      target: `<= ${P99_RATIO}x bare`,
      pass: ratio.median <= P99_RATIO,
    });
  }
  const targets = rows.splice(0);
  rows.push(info(
    "relay p50 at half the max rate (ms)",
    latency.app.map((f) => f.p50Ms),
    latency.bare.map((f) => f.p50Ms),
  ));
  rows.push(info(
    "relay p50, expiries under way (ms)",
    latency.appSweeping.map((f) => f.p50Ms),
    latency.bare.map((f) => f.p50Ms),
  ));
  // Whether the latency runs measured the server: the load generator's own
  // lag against its schedule, and time either process waited for a core.
  rows.push(info(
    "latency run: load generator's send lag p99 (ms)",
    latency.app.map((f) => f.sendLagP99Ms),
    latency.bare.map((f) => f.sendLagP99Ms),
  ));
  const waits = (runs: LatencyFigures[], of: "serverWaitMsPerSecond" | "loadWaitMsPerSecond") =>
    runs.every((f) => f[of] !== null) ? runs.map((f) => f[of]!) : null;
  rows.push(info(
    "latency run: server waited for a core (ms per s)",
    waits(latency.app, "serverWaitMsPerSecond"),
    waits(latency.bare, "serverWaitMsPerSecond"),
  ));
  rows.push(info(
    "latency run: load generator waited for a core (ms per s)",
    waits(latency.app, "loadWaitMsPerSecond"),
    waits(latency.bare, "loadWaitMsPerSecond"),
  ));
  return { targets, info: rows };
}

function value(label: string, measured: number): Row {
  return { label, app: null, bare: null, ratio: measured, target: "", pass: null };
}

function info(label: string, app: number[] | null, bare: number[] | null): Row {
  return {
    label,
    app: app === null ? null : spread(app),
    bare: bare === null ? null : spread(bare),
    ratio: app === null || bare === null ? null : ratios(app, bare),
    target: "",
    pass: null,
  };
}
