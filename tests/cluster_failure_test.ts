/**
 * Redis mode when things fail: an instance killed without a goodbye, Redis
 * dropping every connection, and Redis killed and restarted empty.
 */
import assert from "node:assert/strict";
import { createClient } from "@redis/client";
import { ulid } from "ulid";
import {
  frameWhere,
  pairAcross,
  randomBody,
  startCluster,
  TEST_RATE_LIMIT_SECRET,
} from "./fixtures/cluster.ts";
import { authenticatedSocket } from "./fixtures/raw_socket.ts";
import { HAS_REDIS, startRedis } from "./fixtures/redis.ts";
import { createBody, postJson } from "./fixtures/requests.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";
import { spawnServer } from "./fixtures/server_process.ts";

const test = (name: string, fn: () => Promise<void>) => Deno.test({ name, ignore: !HAS_REDIS, fn });

test("cluster presence after SIGKILL: a dead instance's participant reads offline within a few seconds", async () => {
  await using redis = await startRedis();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_SECRET: TEST_RATE_LIMIT_SECRET };
  await using a = await startTestServer(env);
  const dataDir = await Deno.makeTempDir({ prefix: "anon-test-" });
  const b = await spawnServer(dataDir, { env });
  try {
    const { adam, eve, eveId } = await pairAcross(a.base, b.base);
    await using onA = await authenticatedSocket(a.base, await adam.socketIdentity());
    const onB = await authenticatedSocket(b.base, await eve.socketIdentity());
    await frameWhere(
      onA,
      (f) => f.type === "presence" && f.participantId === eveId && f.online === true,
    );
    await b.kill("SIGKILL");
    await onB.closed;
    // The lease lives 3 s and is checked every second.
    await frameWhere(
      onA,
      (f) => f.type === "presence" && f.participantId === eveId && f.online === false,
      8000,
    );
    // And a frame for Eve is no longer sent to a dead instance.
    onA.send({ type: "send", id: ulid(), to: eveId, body: randomBody() });
    assert.equal((await frameWhere(onA, (f) => f.type === "error")).code, "peer_offline");
  } finally {
    await b.kill("SIGKILL");
    await Deno.remove(dataDir, { recursive: true });
  }
});

test("cluster after Redis drops every connection: sockets are told, instances resubscribe and announce presence again", async () => {
  await using cluster = await startCluster();
  const { adam, eve, adamId, eveId } = await pairAcross(cluster.a.base, cluster.b.base);
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  await using onB = await authenticatedSocket(cluster.b.base, await eve.socketIdentity());
  await frameWhere(
    onA,
    (f) => f.type === "presence" && f.participantId === eveId && f.online === true,
  );
  const admin = createClient({ url: cluster.redis.url });
  await admin.connect();
  try {
    await admin.sendCommand(["CLIENT", "KILL", "TYPE", "pubsub"]);
    await admin.sendCommand(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
  } finally {
    await admin.close();
  }
  assert.equal((await frameWhere(onA, (f) => f.type === "error")).code, "unavailable");
  // Eve's instance announces her again once the link is back: Adam's browser
  // would now resend what has no receipt.
  await frameWhere(
    onA,
    (f) => f.type === "presence" && f.participantId === eveId && f.online === true,
  );
  await frameWhere(
    onB,
    (f) => f.type === "presence" && f.participantId === adamId && f.online === true,
  );
  const body = randomBody();
  onA.send({ type: "send", id: ulid(), to: eveId, body });
  assert.equal((await frameWhere(onB, (f) => f.type === "message")).body, body);
});

test("cluster with Redis killed: requests fail fast with 503, sockets are told, and a conversation lost with Redis ends", async () => {
  await using cluster = await startCluster();
  const { adam, eve, eveId, conversationId } = await pairAcross(cluster.a.base, cluster.b.base);
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  await using onB = await authenticatedSocket(cluster.b.base, await eve.socketIdentity());
  await frameWhere(
    onA,
    (f) => f.type === "presence" && f.participantId === eveId && f.online === true,
  );
  await cluster.redis.kill();
  assert.equal((await frameWhere(onA, (f) => f.type === "error")).code, "unavailable");
  for (const base of [cluster.a.base, cluster.b.base]) {
    const started = Date.now();
    const created = await postJson(`${base}/api/conversations`, (await createBody()).body);
    assert.equal(created.status, 503);
    assert.equal((created.json.error as { code: string }).code, "unavailable");
    assert.ok(Date.now() - started < 2000, "503 comes at once, not after a queue");
    const read = await fetch(`${base}/api/conversations/${conversationId}`);
    assert.equal(read.status, 503);
    await read.body?.cancel();
  }
  // A delete asked for now cannot be done: the socket is told and stays open.
  onB.send({ type: "delete" });
  assert.equal(
    (await frameWhere(onB, (f) => f.type === "error" && f.code === "unavailable")).code,
    "unavailable",
  );
  onB.send({ type: "delete" });
  const refused = await frameWhere(onB, (f) => f.type === "error");
  assert.equal(refused.code, "unavailable");
  assert.match(String(refused.message), /shared store cannot be reached/);
  assert.equal(onB.socket.readyState, WebSocket.OPEN);
  // Redis comes back without the conversation (no persistence): its sockets
  // are closed so the browsers connect again and are told it is gone.
  await cluster.redis.restart();
  assert.equal((await onA.closed).code, 1001);
  assert.equal((await onB.closed).code, 1001);
  const gone = await fetch(`${cluster.a.base}/api/conversations/${conversationId}`);
  assert.equal(gone.status, 404);
  assert.equal((await gone.json()).error.code, "not_found");
  // And the cluster works again.
  const again = await pairAcross(cluster.a.base, cluster.b.base);
  await using a2 = await authenticatedSocket(cluster.a.base, await again.adam.socketIdentity());
  await using b2 = await authenticatedSocket(cluster.b.base, await again.eve.socketIdentity());
  await frameWhere(a2, (f) => f.type === "presence" && f.online === true);
  const body = randomBody();
  b2.send({ type: "send", id: ulid(), to: again.adamId, body });
  assert.equal((await frameWhere(a2, (f) => f.type === "message")).body, body);
});

test("cluster Redis restart in the middle of a conversation: no message is lost or shown twice", async () => {
  // A Redis that keeps its data over the restart, so the conversation survives it.
  await using redis = await startRedis({ persist: true });
  const env = { REDIS_URL: redis.url, RATE_LIMIT_SECRET: TEST_RATE_LIMIT_SECRET };
  await using a = await startTestServer(env);
  await using b = await startTestServer(env);
  const { adam, eve } = await pairAcross(a.base, b.base);
  using _adam = adam;
  using _eve = eve;
  await adam.start();
  await eve.start();
  await waitFor(
    () => adam.client?.view.secure === true && eve.client?.view.secure === true,
    "a secure session across instances",
  );
  await adam.client!.send("before the restart");
  await waitFor(() => eve.texts().includes("before the restart"), "Eve receives");
  await redis.kill();
  // Sent while Redis is away: the relay cannot pass them, so Adam's client keeps them.
  await adam.client!.send("while Redis is away 1");
  await adam.client!.send("while Redis is away 2");
  await eve.client!.send("Eve while Redis is away");
  await redis.restart();
  // Each view shows both sides' messages, each exactly once.
  const all = [
    "before the restart",
    "while Redis is away 1",
    "while Redis is away 2",
    "Eve while Redis is away",
  ];
  const complete = (texts: string[]) => all.every((t) => texts.includes(t));
  await waitFor(
    () => complete(eve.texts()) && complete(adam.texts()),
    "both sides receive what was sent during the outage",
    20_000,
  );
  // Nothing arrives twice, not even later.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const texts of [eve.texts(), adam.texts()]) {
    assert.deepEqual([...texts].sort(), [...all].sort());
  }
});
