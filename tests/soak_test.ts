/**
 * Reconnection soak: the server is killed (SIGKILL) and restarted several
 * times in the middle of a conversation while both people keep writing at a
 * fixed rate. Every message written is delivered exactly once.
 */
import assert from "node:assert/strict";
import { Peer } from "./fixtures/peer.ts";
import { waitFor } from "./fixtures/server.ts";
import { respawnServer, type ServerChild, spawnServer } from "./fixtures/server_process.ts";

const RESTARTS = 3;
/** Messages each person writes per stretch; three stretches per restart. */
const PER_STRETCH = 4;
const INTERVAL_MS = 40;

function incoming(peer: Peer): string[] {
  return peer.client!.view.messages.filter((m) => m.direction === "in").map((m) => m.text);
}

Deno.test({
  name: "messages written across repeated server crashes arrive exactly once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "anon-soak-" });
    let server: ServerChild = await spawnServer(dataDir);
    const adam = new Peer(server.base);
    const eve = new Peer(server.base);
    try {
      const invite = await adam.create();
      await eve.join(adam.conversationId, invite);
      await adam.start();
      await eve.start();
      await waitFor(
        () => adam.client!.view.peer === "online" && eve.client!.view.peer === "online",
        "both online",
      );
      const sent = { adam: [] as string[], eve: [] as string[] };
      let n = 0;
      const stretch = async () => {
        for (let i = 0; i < PER_STRETCH; i++) {
          const text = `m${n++}`;
          await adam.client!.send(`adam ${text}`);
          sent.adam.push(`adam ${text}`);
          await eve.client!.send(`eve ${text}`);
          sent.eve.push(`eve ${text}`);
          await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
        }
      };
      for (let round = 0; round < RESTARTS; round++) {
        await stretch();
        await server.kill("SIGKILL");
        // Written while the server is gone: they wait in the outbox.
        await stretch();
        server = await respawnServer(dataDir, server.port);
        await stretch();
      }
      await waitFor(
        () =>
          incoming(eve).length >= sent.adam.length && incoming(adam).length >= sent.eve.length &&
          [adam, eve].every((p) =>
            p.client!.view.messages.every((m) => m.direction === "in" || m.status === "delivered")
          ),
        "every message delivered and acknowledged",
        30_000,
      );
      for (const [receiver, expected] of [[eve, sent.adam], [adam, sent.eve]] as const) {
        const got = incoming(receiver);
        assert.equal(new Set(got).size, got.length, "no message shown twice");
        assert.deepEqual([...got].sort(), [...expected].sort(), "no message lost");
        assert.deepEqual(receiver.client!.view.problems, []);
      }
      // Nothing arrives late, twice.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(incoming(eve).length, sent.adam.length);
      assert.equal(incoming(adam).length, sent.eve.length);
    } finally {
      adam.stop();
      eve.stop();
      await server.kill("SIGKILL");
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
