/**
 * Expiry: expired conversations are removed at start and periodically, and
 * a conversation is never served after its expiresAt, sweep or no sweep.
 */
import assert from "node:assert/strict";
import { createBody, joinBody, postJson } from "./fixtures/requests.ts";
import { startTestServer, waitFor } from "./fixtures/server.ts";
import { loadConfig } from "../lib/server/config.ts";
import { serveApp } from "../lib/serve.ts";

const EXPIRED_ID = "01JD3Q8Z5V4T6N2M8K0P9R7S1A";

Deno.test("an expired file is removed when the server starts", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "anon-expiry-" });
  try {
    const record = {
      version: 1,
      id: EXPIRED_ID,
      createdAt: "2020-01-01T00:00:00.000Z",
      modifiedAt: "2020-01-01T00:00:00.000Z",
      expiresAt: "2020-01-02T00:00:00.000Z",
      accessKey: "A".repeat(43),
      participants: [],
    };
    await Deno.writeTextFile(`${dataDir}/${EXPIRED_ID}.json`, JSON.stringify(record));
    const server = await serveApp(
      loadConfig({ PORT: "0", DATA_DIR: dataDir, SWEEP_INTERVAL_MS: "86400000" }),
      { log: () => {} },
    );
    try {
      const names = [];
      for await (const entry of Deno.readDir(dataDir)) names.push(entry.name);
      assert.deepEqual(names, []);
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("an expired conversation is not served even before any sweep", async () => {
  await using server = await startTestServer({ SWEEP_INTERVAL_MS: "86400000" });
  const { secret, body } = await createBody(undefined, 1);
  const created = await postJson(`${server.base}/api/conversations`, body);
  assert.equal(created.status, 201);
  const conversation = created.json.conversation as { id: string; expiresAt: string };
  const url = `${server.base}/api/conversations/${conversation.id}`;
  await waitFor(() => Date.now() > Date.parse(conversation.expiresAt), "expiresAt", 3000);
  const got = await fetch(url);
  await got.body?.cancel();
  assert.equal(got.status, 404);
  assert.equal((await postJson(`${url}/participants`, await joinBody(secret))).status, 404);
  const socket = await fetch(`${url}/socket`);
  await socket.body?.cancel();
  assert.equal(socket.status, 404);
  const names = [];
  for await (const entry of Deno.readDir(server.dataDir)) names.push(entry.name);
  assert.deepEqual(names, []);
});

Deno.test("expired conversations are swept periodically without any request", async () => {
  await using server = await startTestServer({ SWEEP_INTERVAL_MS: "200" });
  const created = await postJson(
    `${server.base}/api/conversations`,
    (await createBody(undefined, 1)).body,
  );
  assert.equal(created.status, 201);
  const { id } = created.json.conversation as { id: string };
  await waitFor(
    () => server.logs.some((line) => line.includes('"conversation_expired"')),
    "the sweep",
    5000,
  );
  await assert.rejects(Deno.stat(`${server.dataDir}/${id}.json`), Deno.errors.NotFound);
});

Deno.test("a conversation nobody is connected to leaves the disk at its expiresAt, long before the sweep", async () => {
  await using server = await startTestServer({ SWEEP_INTERVAL_MS: "86400000" });
  const created = await postJson(
    `${server.base}/api/conversations`,
    (await createBody(undefined, 1)).body,
  );
  assert.equal(created.status, 201);
  const { id, expiresAt } = created.json.conversation as { id: string; expiresAt: string };
  const path = `${server.dataDir}/${id}.json`;
  await Deno.stat(path);
  await waitFor(
    () => server.logs.some((line) => line.includes('"conversation_expired"')),
    "the expiry",
    3000,
  );
  const late = Date.now() - Date.parse(expiresAt);
  assert.ok(late < 1000, `removed ${late} ms after expiresAt`);
  await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  assert.equal(server.logs.filter((line) => line.includes('"conversation_expired"')).length, 1);
});
