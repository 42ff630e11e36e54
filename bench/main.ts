/**
 * `deno task bench [--quick] [--rounds=N] [--only=relay|latency] [--out=FILE] [--cpu-prof=DIR]`:
 * measures the app against the bare relay of `bench/bare_relay.ts` and the
 * issue's targets, prints one table and writes every figure as JSON (by
 * default to `bench/results.json`).
 *
 * This process is the load generator, pinned to core 1; each server runs in
 * its own process pinned to core 0 (with `taskset`, where it exists). App and
 * bare relay alternate within each round; figures are medians over rounds
 * with their spread (min-max). `--quick` makes one small round, for trying
 * it out; `--rounds=N` makes N rounds (3 by default) for a steadier median
 * on a noisy machine; `--cpu-prof=DIR` writes a V8 CPU profile of the app
 * during the first round of creates and joins; `--only=relay` measures only
 * CPU per message and memory per idle socket, the two relay phases, and
 * prints their rows; `--only=latency` measures the real message's maximum
 * rate and the latency at half of it, and prints the latency rows.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ensureIslandsBuilt, readManifest } from "../lib/web/build.ts";
import { runClusterRelayBench } from "./cluster_relay.ts";
import { benchCrypto } from "./crypto.ts";
import { benchFileTransfer } from "./file_transfer.ts";
import { realMessageBody } from "./crypto_measure.ts";
import { chatAfterIdle, pageWeight, uncompressedAssets } from "./page_weight.ts";
import { admissionPhase } from "./admission_phase.ts";
import { FULL, QUICK } from "./phase_common.ts";
import { latencyPhase, memoryPhase, throughputPhase } from "./phases.ts";
import { makeKeys } from "./records.ts";
import { randomBody } from "./relay_driver.ts";
import { formatTable } from "./report.ts";
import { pinSelf, startServer, TASKSET } from "./server_process.ts";
import { latencyRows, relayRows, targetRows } from "./targets.ts";

const ROOT = new URL("../", import.meta.url);

/** A base64url body of exactly `chars` characters (a multiple of 4). */
function bodyOf(chars: number): string {
  return randomBody((chars / 4) * 3);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean", default: false },
      out: { type: "string", default: new URL("bench/results.json", ROOT).pathname },
      "cpu-prof": { type: "string" },
      only: { type: "string" },
      rounds: { type: "string" },
    },
  });
  if (values.only !== undefined && values.only !== "relay" && values.only !== "latency") {
    throw new Error(`Cannot run only "${values.only}": the phase groups are "relay" and "latency"`);
  }
  const rounds = values.rounds === undefined ? null : Number(values.rounds);
  if (rounds !== null && !(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20)) {
    throw new Error(`Cannot run "${values.rounds}" rounds: expected a whole number from 1 to 20`);
  }
  const sizes = { ...(values.quick ? QUICK : FULL), ...(rounds === null ? {} : { rounds }) };
  const started = performance.now();
  const log = (line: string) =>
    console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const pinned = await pinSelf();
  log(
    pinned
      ? `load generator pinned to core 1, servers to core 0 (${TASKSET})`
      : "taskset not found: nothing is pinned, figures are less trustworthy",
  );
  await ensureIslandsBuilt({ rootDir: ROOT, outDir: new URL("_build/", ROOT) });
  const keys = await makeKeys();
  const real = await realMessageBody();
  const bodies: Record<string, string> = {
    "64 B": bodyOf(64),
    "1 KiB": bodyOf(1024),
    "16 KiB": bodyOf(16 * 1024),
    [`real message (${real.length} B)`]: real,
  };
  const realLabel = Object.keys(bodies)[3];

  log("throughput and server CPU per message");
  // The latency runs need only the real message's maximum rate.
  const measured = values.only === "latency" ? { [realLabel]: real } : bodies;
  const throughput = await throughputPhase(sizes, keys, measured, log);
  const medianRate = (kind: "app" | "bare") => {
    const rates = throughput[realLabel][kind].map((f) => f.messagesPerSecond).sort((a, b) => a - b);
    return rates[Math.floor(rates.length / 2)];
  };
  if (values.only === "relay") {
    log("memory per idle authenticated socket, after forced GC");
    const memory = await memoryPhase(sizes, keys, log);
    console.log(`\nThe relay alone: ${sizes.rounds} round(s); median (min-max) over rounds\n`);
    console.log(formatTable(relayRows(throughput, memory, sizes, realLabel)));
    const figures = { date: new Date().toISOString(), quick: values.quick, pinned, sizes };
    await Deno.writeTextFile(
      values.out,
      JSON.stringify({ ...figures, throughput, memory }, null, 2) + "\n",
    );
    Deno.exit(0);
  }
  const rate = Math.min(medianRate("app"), medianRate("bare")) / 2;
  log(`latency at half the lower maximum: ${rate.toFixed(0)} msg/s, real messages`);
  const latency = await latencyPhase(sizes, keys, real, rate, log);
  if (values.only === "latency") {
    console.log(`\nLatency alone: ${sizes.rounds} round(s); median (min-max) over rounds\n`);
    const { targets, info } = latencyRows(latency);
    console.log(formatTable([...targets, ...info]));
    const figures = { date: new Date().toISOString(), quick: values.quick, pinned, sizes };
    await Deno.writeTextFile(
      values.out,
      JSON.stringify({ ...figures, latencyRate: rate, throughput, latency }, null, 2) + "\n",
    );
    Deno.exit(0);
  }
  log("memory per idle authenticated socket, after forced GC");
  const memory = await memoryPhase(sizes, keys, log);
  log("creates and joins with real bundles");
  const admissions = await admissionPhase(sizes, keys, log, values["cpu-prof"]);

  log("chat page weight and compression");
  const islandsDir = new URL("_build/islands/", ROOT);
  const page = await pageWeight(islandsDir, ["Chat"]);
  const pageAfterIdle = await chatAfterIdle(islandsDir);
  const { buildId } = (await readManifest(new URL("_build/", ROOT)))!;
  const dataDir = await Deno.makeTempDir({ prefix: "anon-bench-page-" });
  const app = await startServer({ kind: "app", dataDir });
  const compression = await uncompressedAssets(
    app.base,
    new URL("static/", ROOT),
    islandsDir,
    buildId,
  ).finally(() => app.stop());
  await Deno.remove(dataDir, { recursive: true });

  log("cryptography in Deno and Chromium");
  const crypto = await benchCrypto(sizes.handshakes, sizes.cryptoMessages);

  const figures = {
    throughput,
    latency,
    memory,
    admissions,
    page,
    pageAfterIdle,
    compression,
    crypto,
  };
  const rows = targetRows(figures, sizes, realLabel);
  console.log(
    `\nThe Anonymous relay benchmark: ${sizes.rounds} round(s), ` +
      `${Deno.build.target}, ${navigator.hardwareConcurrency} cores, ` +
      `${pinned ? "pinned" : "not pinned"}; median (min-max) over rounds\n`,
  );
  console.log(formatTable(rows));
  await Deno.writeTextFile(
    values.out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick: values.quick,
        pinned,
        cores: navigator.hardwareConcurrency,
        sizes,
        latencyRate: rate,
        table: rows,
        ...figures,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(
    "\nRelay across two instances on Redis, beside one process (not part of the targets):",
  );
  await runClusterRelayBench();
  const file = await benchFileTransfer(values.quick ? 5 : 25);
  console.log(
    `\nA ${file.bytes / 1048576} MiB file between two Chromium pages, default relay limits: ` +
      `${(file.totalMs / 1000).toFixed(1)} s in all, ${file.mibPerSecond.toFixed(1)} MiB/s ` +
      `once announced (target: 25 MiB under 10 s)`,
  );
  console.log(
    `\nAll figures: ${values.out} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}
