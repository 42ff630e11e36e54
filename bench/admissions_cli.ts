/**
 * `deno run -A bench/admissions_cli.ts [--rounds=N] [--count=N] [--cpu-prof=DIR]`:
 * the creates-and-joins phase of `deno task bench` alone, for trying a change
 * to the create or join path without the whole benchmark. App and bare relay
 * alternate as in the full run, first with the data directory on the disk,
 * then on a tmpfs (`/dev/shm`, where a flush costs nothing); it prints the
 * server CPU per create and per join of both, the disk's also less the bare
 * relay's durable create (a request and one flushed, renamed file) measured
 * in that round. The target is read from the tmpfs run (`admission_rows.ts`
 * says why).
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { AdmissionFigures } from "./admissions.ts";
import { admissionPhase } from "./admission_phase.ts";
import { QUICK } from "./phase_common.ts";
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
  const cpu = (runs: AdmissionFigures[]) => runs.map((f) => f.cpuMicros);
  const bare = cpu(rounds.bareCreate);
  const create = cpu(rounds.appCreate);
  const join = cpu(rounds.appJoin);
  const { tmpfs } = rounds;
  console.log(JSON.stringify({
    pinned,
    disk: { bare, create, join },
    tmpfs: tmpfs &&
      { bare: cpu(tmpfs.bareCreate), create: cpu(tmpfs.appCreate), join: cpu(tmpfs.appJoin) },
  }));
  console.log(`server CPU per request, ms, median (min-max) over ${sizes.rounds} round(s):`);
  console.log(`  on disk, every flush real:`);
  console.log(`    bare durable create  ${ms(bare)}`);
  console.log(`    app create           ${ms(create)}`);
  console.log(`    app join             ${ms(join)}`);
  console.log(`    create less bare     ${ms(create.map((c, i) => c - bare[i]))}`);
  console.log(`    join less bare       ${ms(join.map((j, i) => j - bare[i]))}`);
  if (tmpfs === null) {
    console.log("  no tmpfs here: the target (<= 0.5 ms) is read from the disk run less bare");
    Deno.exit(0);
  }
  console.log(`  data directory on tmpfs, no fsync (the target, <= 0.5 ms, is read here):`);
  console.log(`    bare durable create  ${ms(cpu(tmpfs.bareCreate))}`);
  console.log(`    app create           ${ms(cpu(tmpfs.appCreate))}`);
  console.log(`    app join             ${ms(cpu(tmpfs.appJoin))}`);
  const main = (runs: AdmissionFigures[]) => runs.map((f) => f.mainMicros);
  console.log(`    of which main thread (JavaScript, HTTP), the rest file and V8 threads:`);
  console.log(`      bare create        ${ms(main(tmpfs.bareCreate))}`);
  console.log(`      app create         ${ms(main(tmpfs.appCreate))}`);
  console.log(`      app join           ${ms(main(tmpfs.appJoin))}`);
}
