/**
 * What Redis holds in Redis mode, run with the shipped deploy/redis.conf:
 * after a whole conversation over two instances, only the contract record
 * and short-lived presence, lease and limit keys, none of which contains a
 * message body, an address or a secret.
 */
import assert from "node:assert/strict";
import { createClient } from "@redis/client";
import { ulid } from "ulid";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { parseConversationRecord } from "../lib/protocol/conversation_record.ts";
import { frameWhere, pairAcross, randomBody, TEST_RATE_LIMIT_SECRET } from "./fixtures/cluster.ts";
import { authenticatedSocket } from "./fixtures/raw_socket.ts";
import { HAS_REDIS, startRedis } from "./fixtures/redis.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";

const CONFIG = new URL("../deploy/redis.conf", import.meta.url);

Deno.test({
  name:
    "cluster privacy: after a whole conversation over two instances Redis holds only the record and short-lived keys, without a body, an address or a secret",
  ignore: !HAS_REDIS,
  async fn() {
    const password = encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
    const shipped = await Deno.readTextFile(CONFIG);
    assert.ok(shipped.includes("CHANGE-ME-to-a-long-random-password"));
    // The shipped file as is, with a real password and a user for this test to look with.
    const config = shipped.replace("CHANGE-ME-to-a-long-random-password", password) +
      "\nuser inspector on >inspector ~* &* +@all\n";
    await using redis = await startRedis({
      config,
      dumpUrl: (socket) => `unix://inspector:inspector@${socket}`,
    });
    const inspector = createClient({
      url: `unix://inspector:inspector@${redis.socket}`,
      maintNotifications: "disabled",
    });
    await inspector.connect();
    try {
      assert.deepEqual(await inspector.configGet("save"), { save: "" });
      assert.deepEqual(await inspector.configGet("appendonly"), { appendonly: "no" });
    } finally {
      await inspector.close();
    }
    // The default user can do nothing.
    const anonymous = createClient({ url: redis.url });
    await anonymous.connect().catch(() => {});
    await assert.rejects(() => anonymous.get("anon:x"));
    await anonymous.close().catch(() => {});

    const env = {
      REDIS_URL: `unix://anon:${password}@${redis.socket}`,
      RATE_LIMIT_SECRET: TEST_RATE_LIMIT_SECRET,
      // Low enough that the limit keys are written and checked.
      CREATE_PER_MINUTE: "100",
    };
    await using a = await startTestServer(env);
    await using b = await startTestServer(env);

    // Real clients, Adam on A and Eve on B.
    const { adam, eve, adamId, eveId, conversationId } = await pairAcross(a.base, b.base);
    using _adam = adam;
    using _eve = eve;
    await adam.start();
    await eve.start();
    await waitFor(
      () => adam.client?.view.secure === true && eve.client?.view.secure === true,
      "a secure session across instances",
    );
    const texts = ["meet at the old bridge " + ulid(), "bring the blue folder " + ulid()];
    await adam.client!.send(texts[0]);
    await waitFor(() => eve.texts().includes(texts[0]), "Eve receives through A and B");
    await eve.client!.send(texts[1]);
    await waitFor(() => adam.texts().includes(texts[1]), "Adam receives through B and A");
    // And a body we know, by hand.
    await using onA = await authenticatedSocket(a.base, await adam.socketIdentity());
    await using onB = await authenticatedSocket(b.base, await eve.socketIdentity());
    const body = randomBody(64);
    onA.send({ type: "send", id: ulid(), to: eveId, body });
    assert.equal(
      (await frameWhere(onB, (f) => f.type === "message" && f.body === body)).body,
      body,
    );

    const rows = await redis.dump();
    const records = rows.filter((r) => r.key.startsWith("anon:conversation:"));
    assert.deepEqual(records.map((r) => r.key), [`anon:conversation:${conversationId}`]);
    const record = parseConversationRecord(JSON.parse(records[0].value));
    assert.deepEqual(record.participants.map((p) => p.id).sort(), [adamId, eveId].sort());
    for (const row of rows) {
      assert.match(row.key, /^anon:(conversation|presence|instance|limit:[a-z]+):[A-Za-z0-9_-]+$/);
      if (!row.key.startsWith("anon:conversation:")) {
        assert.ok(row.ttl > 0 && row.ttl <= 60_000, `${row.key} is short-lived (${row.ttl} ms)`);
      }
    }
    const everything = JSON.stringify(rows);
    const secrets = [
      ...texts,
      body,
      "127.0.0.1",
      TEST_RATE_LIMIT_SECRET,
      adam.inviteSecret,
      password,
    ];
    for (const secret of secrets) {
      assert.ok(!everything.includes(secret), `Redis holds no ${secret.slice(0, 12)}…`);
      for (const line of [...a.logs, ...b.logs]) {
        if (secret === "127.0.0.1" && line.includes('"listening"')) continue;
        assert.ok(!line.includes(secret), `the log holds no ${secret.slice(0, 12)}…`);
      }
    }
  },
});
