/**
 * Redis mode with two instances on one real Redis: relay, presence, joins
 * and deletes across instances, and the join race.
 */
import assert from "node:assert/strict";
import { ulid } from "ulid";
import { frameWhere, pairAcross, randomBody, startCluster } from "./fixtures/cluster.ts";
import { authenticatedSocket } from "./fixtures/raw_socket.ts";
import { HAS_REDIS } from "./fixtures/redis.ts";
import { createBody, joinBody, postJson } from "./fixtures/requests.ts";

const test = (name: string, fn: () => Promise<void>) => Deno.test({ name, ignore: !HAS_REDIS, fn });

test("cluster relay: a frame from a socket on instance A reaches the peer's socket on instance B, and back", async () => {
  await using cluster = await startCluster();
  const { adam, eve, adamId, eveId } = await pairAcross(cluster.a.base, cluster.b.base);
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  await using onB = await authenticatedSocket(cluster.b.base, await eve.socketIdentity());
  // Each learns the other is online, although on another instance.
  await frameWhere(
    onA,
    (f) => f.type === "presence" && f.participantId === eveId && f.online === true,
  );
  const toEve = { type: "send", id: ulid(), to: eveId, body: randomBody() };
  onA.send(toEve);
  assert.deepEqual(await frameWhere(onB, (f) => f.type === "message"), {
    type: "message",
    id: toEve.id,
    from: adamId,
    body: toEve.body,
  });
  onB.send({ type: "ack", id: toEve.id, to: adamId });
  assert.deepEqual(await frameWhere(onA, (f) => f.type === "ack"), {
    type: "ack",
    id: toEve.id,
    from: eveId,
  });
  const toAdam = { type: "send", id: ulid(), to: adamId, body: randomBody() };
  onB.send(toAdam);
  assert.equal((await frameWhere(onA, (f) => f.type === "message")).body, toAdam.body);
});

test("cluster presence: the ready frame on B reports the peer on A online, and a close on B reads offline on A", async () => {
  await using cluster = await startCluster();
  const { adam, eve, adamId, eveId } = await pairAcross(cluster.a.base, cluster.b.base);
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  const onB = await authenticatedSocket(cluster.b.base, await eve.socketIdentity());
  await frameWhere(
    onA,
    (f) => f.type === "presence" && f.participantId === eveId && f.online === true,
  );
  await onB.close();
  await frameWhere(onA, (f) => f.type === "presence" && f.participantId === eveId && !f.online);
  // A fresh socket on B is told Adam is online on A.
  const identity = await eve.socketIdentity();
  const { RawSocket, answerChallenge } = await import("./fixtures/raw_socket.ts");
  await using again = await RawSocket.open(cluster.b.base, identity.conversationId);
  await answerChallenge(again, identity);
  assert.deepEqual(await again.next(), { type: "ready", peers: [{ id: adamId, online: true }] });
});

test("cluster: a frame for a peer online nowhere is answered peer_offline", async () => {
  await using cluster = await startCluster();
  const { adam, eveId } = await pairAcross(cluster.a.base, cluster.b.base);
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  onA.send({ type: "send", id: ulid(), to: eveId, body: randomBody() });
  assert.equal((await frameWhere(onA, (f) => f.type === "error")).code, "peer_offline");
});

test("cluster join race: exactly one of 20 concurrent joins across both instances wins", async () => {
  await using cluster = await startCluster();
  const { secret, body } = await createBody();
  const created = await postJson(`${cluster.a.base}/api/conversations`, body);
  assert.equal(created.status, 201);
  const id = (created.json.conversation as { id: string }).id;
  const bodies = await Promise.all(Array.from({ length: 20 }, () => joinBody(secret)));
  const results = await Promise.all(
    bodies.map((join, i) =>
      postJson(
        `${[cluster.a, cluster.b][i % 2].base}/api/conversations/${id}/participants`,
        join,
      )
    ),
  );
  assert.deepEqual(results.filter((r) => r.status === 201).length, 1);
  for (const r of results.filter((r) => r.status !== 201)) {
    assert.equal(r.status, 409);
    assert.equal((r.json.error as { code: string }).code, "conversation_full");
  }
  const stored = await (await fetch(`${cluster.b.base}/api/conversations/${id}`)).json();
  assert.equal(stored.conversation.participants.length, 2);
});

test("cluster: a join through B is told to the creator's socket on A", async () => {
  await using cluster = await startCluster();
  const { Peer } = await import("./fixtures/peer.ts");
  const adam = new Peer(cluster.a.base);
  const eve = new Peer(cluster.b.base);
  const invite = await adam.create();
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  await eve.join(adam.conversationId, invite);
  const eveId = (await eve.storage.getConversation(eve.conversationId))!.participantId;
  const joined = await frameWhere(onA, (f) => f.type === "joined");
  assert.equal((joined.participant as { id: string }).id, eveId);
  // And the room on A now relays to Eve on B.
  await using onB = await authenticatedSocket(cluster.b.base, await eve.socketIdentity());
  await frameWhere(onA, (f) => f.type === "presence" && f.online === true);
  const body = randomBody();
  onA.send({ type: "send", id: ulid(), to: eveId, body });
  assert.equal((await frameWhere(onB, (f) => f.type === "message")).body, body);
});

test("cluster delete on A removes the conversation and closes the sockets on B", async () => {
  await using cluster = await startCluster();
  const { adam, eve, eveId, conversationId } = await pairAcross(cluster.a.base, cluster.b.base);
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  await using onB = await authenticatedSocket(cluster.b.base, await eve.socketIdentity());
  await frameWhere(
    onA,
    (f) => f.type === "presence" && f.participantId === eveId && f.online === true,
  );
  onA.send({ type: "delete" });
  assert.deepEqual(await frameWhere(onB, (f) => f.type === "closed"), {
    type: "closed",
    reason: "deleted",
  });
  assert.equal((await onB.closed).code, 1000);
  for (const base of [cluster.a.base, cluster.b.base]) {
    const response = await fetch(`${base}/api/conversations/${conversationId}`);
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error.code, "not_found");
  }
  assert.deepEqual(
    (await cluster.redis.dump()).filter((r) =>
      r.key.includes(conversationId) && r.key.includes("conversation")
    ),
    [],
  );
});

test("cluster rate limits are shared: the fourth create of one address is refused on whichever instance", async () => {
  await using cluster = await startCluster({ CREATE_PER_MINUTE: "3" });
  const bases = [cluster.a.base, cluster.b.base, cluster.a.base];
  for (const base of bases) {
    assert.equal(
      (await postJson(`${base}/api/conversations`, (await createBody()).body)).status,
      201,
    );
  }
  const refused = await postJson(`${cluster.b.base}/api/conversations`, (await createBody()).body);
  assert.equal(refused.status, 429);
  assert.equal((refused.json.error as { code: string }).code, "rate_limited");
  assert.ok(Number(refused.headers.get("retry-after")) > 0);
  const limits = (await cluster.redis.dump()).filter((r) => r.key.startsWith("anon:limit:"));
  assert.equal(limits.length, 1);
  assert.ok(!JSON.stringify(limits).includes("127.0.0.1"));
});

test("cluster expiry: at expiresAt the sockets on both instances are closed and Redis has dropped the record", async () => {
  await using cluster = await startCluster();
  const { Peer } = await import("./fixtures/peer.ts");
  const adam = new Peer(cluster.a.base);
  const eve = new Peer(cluster.b.base);
  const invite = await adam.create(3);
  await eve.join(adam.conversationId, invite);
  await using onA = await authenticatedSocket(cluster.a.base, await adam.socketIdentity());
  await using onB = await authenticatedSocket(cluster.b.base, await eve.socketIdentity());
  for (const socket of [onA, onB]) {
    assert.deepEqual(await frameWhere(socket, (f) => f.type === "closed"), {
      type: "closed",
      reason: "expired",
    });
  }
  const keys = (await cluster.redis.dump()).map((row) => row.key);
  assert.ok(!keys.includes(`anon:conversation:${adam.conversationId}`));
  for (const base of [cluster.a.base, cluster.b.base]) {
    const response = await fetch(`${base}/api/conversations/${adam.conversationId}`);
    assert.equal(response.status, 404);
    await response.body?.cancel();
  }
});
