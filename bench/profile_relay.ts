/**
 * Writes a V8 CPU profile of the app relaying messages of one body size and
 * prints its summary: `deno run -A bench/profile_relay.ts [CHARS] [SECONDS]`.
 *
 * @module
 */
import { summarize } from "./profile_summary.ts";
import { makeKeys, writeConversations } from "./records.ts";
import { closeSockets, openSockets, throughput } from "./relay.ts";
import { randomBody } from "./relay_driver.ts";
import { pinSelf, startServer } from "./server_process.ts";

if (import.meta.main) {
  const chars = Number(Deno.args[0] ?? 16384);
  const seconds = Number(Deno.args[1] ?? 4);
  await pinSelf();
  const keys = await makeKeys();
  const dataDir = await Deno.makeTempDir({ prefix: "anon-bench-prof-" });
  const profDir = await Deno.makeTempDir({ prefix: "anon-bench-cpuprof-" });
  const pairs = await writeConversations(dataDir, keys, 20, () => Date.now() + 3600_000);
  const server = await startServer({ kind: "app", dataDir, cpuProfDir: profDir });
  const sockets = await openSockets(server, pairs);
  const figures = await throughput(server, sockets, randomBody(chars * 3 / 4), seconds, 32);
  await closeSockets(sockets);
  await server.stop();
  console.log(figures);
  for await (const entry of Deno.readDir(profDir)) {
    const { self } = summarize(JSON.parse(await Deno.readTextFile(`${profDir}/${entry.name}`)));
    for (const line of self.slice(0, 25)) {
      console.log(`${(line.share * 100).toFixed(1).padStart(6)} %  ${line.name}`);
    }
  }
  await Deno.remove(dataDir, { recursive: true });
}
