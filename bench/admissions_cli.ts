/**
 * `deno run -A bench/admissions_cli.ts [--rounds=N] [--count=N] [--cpu-prof=DIR]`:
 * the creates-and-joins phase of `deno task bench` alone, for trying a change
 * to the create or join path without the whole benchmark. App and bare relay
 * alternate as in the full run; each round prints the server CPU per create
 * and per join, and the same less the bare relay's durable create (a request
 * and one flushed, renamed file) measured in that round.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { admissionPhase, QUICK } from "./phases.ts";
import { makeKeys } from "./records.ts";
import { spread } from "./report.ts";
import { pinSelf } from "./server_process.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string", default: "3" },
      count: { type: "string", default: "300" },
      "cpu-prof": { type: "string" },
    },
  });
  const pinned = await pinSelf();
  const keys = await makeKeys();
  const sizes = { ...QUICK, rounds: Number(values.rounds), admissions: Number(values.count) };
  const rounds = await admissionPhase(sizes, keys, console.log, values["cpu-prof"]);
  const ms = (micros: number[]) => {
    const s = spread(micros.map((m) => m / 1000));
    return `${s.median.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`;
  };
  const bare = rounds.bareCreate.map((f) => f.cpuMicros);
  const create = rounds.appCreate.map((f) => f.cpuMicros);
  const join = rounds.appJoin.map((f) => f.cpuMicros);
  console.log(JSON.stringify({ pinned, bare, create, join }));
  console.log(`server CPU per request, ms, median (min-max) over ${sizes.rounds} round(s):`);
  console.log(`  bare durable create  ${ms(bare)}`);
  console.log(`  app create           ${ms(create)}`);
  console.log(`  app join             ${ms(join)}`);
  console.log(`  create less bare     ${ms(create.map((c, i) => c - bare[i]))}`);
  console.log(`  join less bare       ${ms(join.map((j, i) => j - bare[i]))}`);
}
