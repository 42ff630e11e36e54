/**
 * `GET /readyz` and the SIGTERM drain: unready while draining (and in Redis
 * mode while Redis is away), sockets closed with 1001 at the end, presence
 * withdrawn, exit 0.
 */
import assert from "node:assert/strict";
import {
  frameWhere,
  pairAcross,
  startCluster,
  TEST_RATE_LIMIT_SECRET,
} from "./fixtures/cluster.ts";
import { Peer } from "./fixtures/peer.ts";
import { authenticatedSocket, RawSocket } from "./fixtures/raw_socket.ts";
import { HAS_REDIS, startRedis } from "./fixtures/redis.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";
import { spawnServer } from "./fixtures/server_process.ts";

async function readyStatus(base: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${base}/readyz`);
  const body = await response.json();
  return { status: response.status, code: body.error?.code };
}

Deno.test("readyz answers 200 when ready and 503 shutting_down while draining; healthz stays 200", async () => {
  const server = await startTestServer();
  try {
    assert.deepEqual(await readyStatus(server.base), { status: 200, code: undefined });
    const adam = new Peer(server.base);
    await adam.create();
    await using socket = await authenticatedSocket(server.base, await adam.socketIdentity());
    const drained = server.drain(500);
    assert.deepEqual(await readyStatus(server.base), { status: 503, code: "shutting_down" });
    assert.equal((await fetch(`${server.base}/healthz`)).status, 200);
    // Still serving while draining: the socket stays open until the end.
    assert.equal(socket.socket.readyState, WebSocket.OPEN);
    await drained;
    assert.equal((await socket.closed).code, 1001);
  } finally {
    await Deno.remove(server.dataDir, { recursive: true });
  }
});

Deno.test("SIGTERM drains for DRAIN_MS with readyz 503, then closes sockets with 1001 and exits 0", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "anon-test-" });
  const child = await spawnServer(dataDir, { env: { DRAIN_MS: "1500" } });
  try {
    const adam = new Peer(child.base);
    await adam.create();
    const socket = await RawSocket.open(child.base, adam.conversationId);
    assert.equal((await socket.next()).type, "challenge");
    const exited = child.kill("SIGTERM");
    await waitFor(async () => (await readyStatus(child.base)).status === 503, "readyz 503");
    assert.equal(socket.socket.readyState, WebSocket.OPEN);
    assert.equal(await exited, 0);
    assert.equal((await socket.closed).code, 1001);
    assert.match(child.output(), /"event":"draining","ms":1500/);
  } finally {
    await child.kill("SIGKILL");
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test({
  name: "readyz in Redis mode is 503 unavailable while Redis is away and 200 when it is back",
  ignore: !HAS_REDIS,
  async fn() {
    await using cluster = await startCluster();
    assert.equal((await readyStatus(cluster.a.base)).status, 200);
    await cluster.redis.kill();
    await waitFor(
      async () => (await readyStatus(cluster.a.base)).code === "unavailable",
      "readyz unavailable",
    );
    await cluster.redis.restart();
    await waitFor(async () => (await readyStatus(cluster.a.base)).status === 200, "ready again");
  },
});

Deno.test({
  name:
    "SIGTERM in Redis mode withdraws presence at once: the peer on another instance reads offline before any lease runs out",
  ignore: !HAS_REDIS,
  async fn() {
    await using redis = await startRedis();
    const env = { REDIS_URL: redis.url, RATE_LIMIT_SECRET: TEST_RATE_LIMIT_SECRET };
    await using a = await startTestServer(env);
    const dataDir = await Deno.makeTempDir({ prefix: "anon-test-" });
    const b = await spawnServer(dataDir, { env });
    try {
      const { adam, eve, eveId } = await pairAcross(a.base, b.base);
      await using onA = await authenticatedSocket(a.base, await adam.socketIdentity());
      const onB = await authenticatedSocket(b.base, await eve.socketIdentity());
      await frameWhere(onA, (f) => f.type === "presence" && f.online === true);
      assert.equal(await b.kill("SIGTERM"), 0);
      assert.equal((await onB.closed).code, 1001);
      // Told by B on its way out, well before B's 3 s lease would run out.
      await frameWhere(
        onA,
        (f) => f.type === "presence" && f.participantId === eveId && f.online === false,
        2000,
      );
      const keys = (await redis.dump()).map((row) => row.key);
      assert.equal(
        keys.filter((key) => key.startsWith("anon:instance:")).length,
        1,
        "only A's lease",
      );
    } finally {
      await b.kill("SIGKILL");
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
