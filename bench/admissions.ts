/**
 * Creates and joins per second, and the server's CPU per create and per
 * join, with real bundles (the creator's with its ML-KEM prekey) on the data
 * directory's own disk, each write flushed before the 201 as the app does.
 *
 * @module
 */
import type { BenchKeys } from "./records.ts";
import type { ServerProcess } from "./server_process.ts";

/** Figures of one kind of admission. */
export interface AdmissionFigures {
  perSecond: number;
  /** Server CPU per request (user + system), in microseconds. */
  cpuMicros: number;
  /** Of which user time, in microseconds. */
  userMicros: number;
  /**
   * Of which the main thread's (JavaScript, HTTP); the rest went to the
   * runtime's file threads and V8's background threads. Threads that ended
   * during the run are missing from this split, never from `cpuMicros`.
   */
  mainMicros: number;
  count: number;
}

async function post(url: string, body: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const json = await response.json();
  if (response.status !== 201) {
    throw new Error(`Cannot POST "${url}": ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

/** Runs `requests` `concurrency` at a time (stopping at `maxSeconds`) and measures them. */
async function measure(
  server: ServerProcess,
  requests: (() => Promise<unknown>)[],
  concurrency: number,
  maxSeconds: number,
): Promise<AdmissionFigures> {
  const before = await server.cpuSplit();
  const threadsBefore = await server.threadSplit();
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length && performance.now() < deadline) {
      await requests[next++]();
      done++;
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const after = await server.cpuSplit();
  const threadsAfter = await server.threadSplit();
  const user = after.user - before.user;
  const cpu = user + after.system - before.system;
  return {
    perSecond: done / seconds,
    cpuMicros: cpu / done,
    userMicros: user / done,
    mainMicros: (threadsAfter.main - threadsBefore.main) / done,
    count: done,
  };
}

/**
 * Creates `count` conversations, then joins each of them once, through the
 * app's HTTP API. The bare relay's `/create` writes the same body durably
 * with no checks, for the floor of a request plus its fsync.
 */
export async function admissions(
  server: ServerProcess,
  keys: BenchKeys,
  count: number,
  options: { concurrency: number; maxSeconds: number },
): Promise<{ create: AdmissionFigures; join: AdmissionFigures | null }> {
  const createBody = JSON.stringify({
    accessKey: keys.accessKey,
    bundle: keys.creatorBundle,
    lifetime: 3600,
  });
  const createUrl = server.kind === "app"
    ? `${server.base}/api/conversations`
    : `${server.base}/create`;
  const ids: string[] = [];
  // Warm-up, not counted.
  for (let i = 0; i < 10; i++) await post(createUrl, createBody);
  const create = await measure(
    server,
    Array.from({ length: count }, () => async () => {
      const created = await post(createUrl, createBody);
      if (server.kind === "app") ids.push((created.conversation as { id: string }).id);
    }),
    options.concurrency,
    options.maxSeconds,
  );
  if (server.kind === "bare") return { create, join: null };
  const joinBody = JSON.stringify({ bundle: keys.joinerBundle });
  const join = await measure(
    server,
    ids.map((id) => () => post(`${server.base}/api/conversations/${id}/participants`, joinBody)),
    options.concurrency,
    options.maxSeconds,
  );
  return { create, join };
}
