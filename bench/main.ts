/**
 * `deno task bench`: runs each benchmark section in turn. A section is an
 * async function that prints its own figures; add new ones to `SECTIONS`.
 *
 * @module
 */
import { runClusterRelayBench } from "./cluster_relay.ts";
import { benchCrypto } from "./crypto.ts";
import { runRelayBench } from "./relay.ts";

const SECTIONS: [string, () => Promise<void>][] = [
  ["crypto", benchCrypto],
  ["relay", () => runRelayBench()],
  ["cross-instance relay", runClusterRelayBench],
];

if (import.meta.main) {
  for (const [name, run] of SECTIONS) {
    console.log(`\n== ${name} ==`);
    await run();
  }
}
