/**
 * Load: many conversations with both people connected exchange messages at a
 * fixed rate. Nothing is lost or duplicated, every message is acknowledged
 * once, and the server's resident memory stays bounded. Bounded in count
 * (pairs × messages) and in time (every wait has a deadline).
 */
import assert from "node:assert/strict";
import { admitPair, randomBody, RelaySocket, residentBytes } from "../bench/relay_driver.ts";
import { waitFor } from "./fixtures/server.ts";
import { spawnServer } from "./fixtures/server_process.ts";

const PAIRS = 24;
const ROUNDS = 4;
const PER_ROUND = 40;
const INTERVAL_MS = 20;
const BODY_BYTES = 16 * 1024;
/**
 * Allowed growth of resident memory over the second half of the run, once the
 * runtime's heap has grown to its working size. Keeping every body relayed in
 * that half would take more than twice this.
 */
const MAX_GROWTH_BYTES = 24 * 1024 * 1024;

Deno.test({
  name:
    "many connected conversations at a fixed rate lose and duplicate nothing, in bounded memory",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "anon-load-" });
    // A small young generation keeps the runtime's own heap sizing from
    // hiding or faking growth; what the server retains shows the same.
    const server = await spawnServer(dataDir, { v8Flags: ["--max-semi-space-size=1"] });
    const sockets: RelaySocket[] = [];
    try {
      const pairs = await Promise.all(
        Array.from({ length: PAIRS }, () => admitPair(server.base)),
      );
      for (const [a, b] of pairs) {
        sockets.push(await RelaySocket.open(server.base, "app", a, b));
        sockets.push(await RelaySocket.open(server.base, "app", b, a));
      }
      const sent = new Map<RelaySocket, string[]>(sockets.map((s) => [s, []]));
      const body = randomBody(BODY_BYTES);
      const memory: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < PER_ROUND; i++) {
          for (const socket of sockets) sent.get(socket)!.push(socket.send(body));
          await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
        }
        const expected = (round + 1) * PER_ROUND;
        await waitFor(
          () => sockets.every((s) => s.tally.acked.size === expected),
          `round ${round + 1} acknowledged`,
          20_000,
        );
        const rss = await residentBytes(server.pid);
        if (rss !== null) memory.push(rss);
      }

      const peerOf = (socket: RelaySocket) =>
        sockets.find((s) => s.self === socket.peer && s.peer === socket.self)!;
      for (const socket of sockets) {
        const ids = sent.get(socket)!;
        const received = peerOf(socket).tally.received;
        assert.equal(received.size, ids.length, "none lost");
        for (const id of ids) {
          assert.equal(received.get(id), 1, `message ${id} delivered once`);
          assert.equal(socket.tally.acked.get(id), 1, `message ${id} acknowledged once`);
        }
      }
      const total = PAIRS * 2 * ROUNDS * PER_ROUND;
      assert.equal(
        sockets.reduce((sum, s) => sum + s.tally.received.size, 0),
        total,
      );
      if (memory.length === ROUNDS) {
        const half = ROUNDS / 2;
        const growth = memory.at(-1)! - memory[half - 1];
        const relayed = half * PER_ROUND * PAIRS * 2 * BODY_BYTES * 4 / 3;
        assert.ok(relayed > 2 * MAX_GROWTH_BYTES, "enough traffic to show a leak");
        assert.ok(
          growth < MAX_GROWTH_BYTES,
          `resident memory grew ${(growth / 2 ** 20).toFixed(1)} MiB`,
        );
      }
    } finally {
      await Promise.all(sockets.map((s) => s.close()));
      await server.kill("SIGTERM");
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
