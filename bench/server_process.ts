/**
 * A server under test in its own process: the app (`main.ts`) or the bare
 * relay (`bench/bare_relay.ts`), pinned to core 0 with `taskset` where it
 * exists, with its CPU time and resident memory read from `/proc`, and an
 * optional V8 inspector through which the benchmark forces a garbage
 * collection from outside (no hook in the server's own code).
 *
 * @module
 */
import { Inspector } from "./inspector.ts";

const ROOT = new URL("../", import.meta.url);

/** Which server a process runs. */
export type ServerKind = "app" | "bare";

/** Whether `taskset` is there to pin processes to cores. */
export const TASKSET: string | null = (() => {
  for (const path of ["/usr/bin/taskset", "/bin/taskset"]) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not there.
    }
  }
  return null;
})();

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/** Limits high enough that the benchmark, from one address, never meets them. */
const OPEN_LIMITS = {
  CREATE_PER_MINUTE: "1000000",
  JOIN_PER_MINUTE: "1000000",
  CONNECT_PER_MINUTE: "1000000",
  SEND_PER_SECOND: "1000000",
  SEND_BYTES_PER_SECOND: String(1024 * 1024 * 1024),
  MAX_SOCKETS: "100000",
  MAX_SOCKETS_PER_ADDRESS: "100000",
  MAX_BODY_BYTES: "65536",
};

/** How to start a server process. */
export interface ServerOptions {
  kind: ServerKind;
  /** Its data directory. */
  dataDir: string;
  /** Start with a V8 inspector and `--expose-gc`, so {@linkcode ServerProcess.gc} works. */
  inspect?: boolean;
  /** Write a V8 CPU profile into this directory when the process ends. */
  cpuProfDir?: string;
  /** More environment, e.g. `SWEEP_INTERVAL_MS`. */
  env?: Record<string, string>;
  /** More flags for `deno run`, e.g. `--v8-flags=--perf-basic-prof` for `perf`. */
  denoFlags?: string[];
}

/** A running server process. */
export interface ServerProcess {
  kind: ServerKind;
  base: string;
  pid: number;
  /** CPU time (user + system) the process has used, in microseconds. */
  cpuMicros(): Promise<number>;
  /** User and system CPU time separately, in microseconds. */
  cpuSplit(): Promise<{ user: number; system: number }>;
  /**
   * CPU time (user + system, microseconds) of the main thread, where
   * JavaScript and the HTTP server run, and of all the others together
   * (the runtime's file threads, V8's garbage collection and compilation).
   */
  threadSplit(): Promise<{ main: number; others: number }>;
  /** Resident memory in bytes. */
  residentBytes(): Promise<number>;
  /** Forces full garbage collections and returns the V8 heap in use (needs `inspect`). */
  gc(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a server and waits until it listens. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const script = options.kind === "app" ? "main.ts" : "bench/bare_relay.ts";
  const denoArgs = ["run", "--allow-all"];
  if (options.inspect) denoArgs.push("--inspect=127.0.0.1:0", "--v8-flags=--expose-gc");
  if (options.cpuProfDir) denoArgs.push("--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`);
  denoArgs.push(...options.denoFlags ?? [], new URL(script, ROOT).pathname);
  const [command, args] = TASKSET === null
    ? [Deno.execPath(), denoArgs]
    : [TASKSET, ["-c", "0", Deno.execPath(), ...denoArgs]];
  const child = new Deno.Command(command, {
    args,
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: options.dataDir,
      NO_COLOR: "1",
      ...OPEN_LIMITS,
      ...options.env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const port = await firstMatch(
    child.stdout,
    /"port":(\d+)|"url":"http:\/\/127\.0\.0\.1:(\d+)/,
    `the ${options.kind} server`,
  );
  const inspectorUrl = options.inspect
    ? await firstMatch(child.stderr, /(ws:\/\/127\.0\.0\.1:\d+\/\S+)/, "the inspector")
    : null;
  if (!options.inspect) drain(child.stderr);
  const inspector = inspectorUrl === null ? null : await Inspector.connect(inspectorUrl);
  const pid = child.pid;
  const cpuSplit = async () => {
    // Fields after the command name: utime and stime are the 12th and 13th.
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const tick = 1e6 / CLOCK_TICKS;
    return { user: Number(fields[11]) * tick, system: Number(fields[12]) * tick };
  };
  const threadSplit = async () => {
    let main = 0;
    let others = 0;
    for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
      // A thread that ended took its time with it; the main thread never ends.
      const stat = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/stat`).catch(() => null);
      if (stat === null) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const micros = (Number(fields[11]) + Number(fields[12])) * 1e6 / CLOCK_TICKS;
      if (task.name === String(pid)) main += micros;
      else others += micros;
    }
    return { main, others };
  };
  return {
    kind: options.kind,
    base: `http://127.0.0.1:${port}`,
    pid,
    cpuSplit,
    threadSplit,
    async cpuMicros() {
      const { user, system } = await cpuSplit();
      return user + system;
    },
    async residentBytes() {
      const status = await Deno.readTextFile(`/proc/${pid}/status`);
      return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
    },
    async gc() {
      if (inspector === null) throw new Error("Cannot force a GC: started without inspect");
      // gc() is there thanks to --expose-gc; a second pass frees what the first finalized.
      await inspector.call("Runtime.evaluate", { expression: "gc(); gc();" });
      await inspector.call("HeapProfiler.collectGarbage");
      const usage = await inspector.call("Runtime.getHeapUsage") as { usedSize: number };
      return usage.usedSize;
    },
    async stop() {
      inspector?.close();
      // SIGINT lets `--cpu-prof` write its profile; the app ends on it too.
      child.kill(options.cpuProfDir ? "SIGINT" : "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await child.status;
      clearTimeout(timer);
    },
  };
}

/** Reads `stream` until `pattern` matches; returns its first non-empty group. */
async function firstMatch(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  pattern: RegExp,
  what: string,
): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = setTimeout(() => reader.cancel(), 60_000);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`Cannot start ${what}: ${text.slice(-2000)}`);
      text += value;
      const match = pattern.exec(text);
      if (match) {
        // Keep draining so the server never blocks on a full pipe.
        (async () => {
          while (!(await reader.read().catch(() => ({ done: true }))).done) { /* discard */ }
        })();
        return match.slice(1).find((group) => group !== undefined)!;
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}

function drain(stream: ReadableStream<Uint8Array<ArrayBuffer>>): void {
  stream.pipeTo(new WritableStream()).catch(() => {});
}

/** Pins this process (every thread) to core 1, so the servers have core 0 to themselves. */
export async function pinSelf(): Promise<boolean> {
  if (TASKSET === null) return false;
  const { success } = await new Deno.Command(TASKSET, {
    args: ["-a", "-c", "-p", "1", String(Deno.pid)],
    stdout: "null",
    stderr: "null",
  }).output();
  return success;
}
