/**
 * Crash safety: SIGKILL while dozens of creates and joins are in flight.
 * After a restart every file parses and matches the contract, leftover
 * temporary files are gone, and every conversation and participant the server
 * acknowledged with 201 is there.
 */
import assert from "node:assert/strict";
import { parseConversationRecord } from "../lib/protocol/conversation_record.ts";
import { createBody, joinBody } from "./fixtures/requests.ts";
import { respawnServer, spawnServer } from "./fixtures/server_process.ts";

const CREATES = 48;
const JOINS_PER_CONVERSATION = 2;
const SEEDED = 12;

/** POSTs and reports a 201's body, or null for anything else (a cut connection too). */
async function post(url: string, body: string): Promise<Record<string, unknown> | null> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const json = await response.json();
    return response.status === 201 ? json : null;
  } catch {
    return null;
  }
}

Deno.test({
  name:
    "SIGKILL during creates and joins loses no acknowledged conversation and leaves valid files",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "anon-crash-" });
    let server = await spawnServer(dataDir);
    try {
      // Conversations to join, made before the crash.
      const seeded: { id: string; secret: Uint8Array }[] = [];
      for (let i = 0; i < SEEDED; i++) {
        const { secret, body } = await createBody();
        const admitted = await post(`${server.base}/api/conversations`, body);
        seeded.push({ id: (admitted!.conversation as { id: string }).id, secret });
      }
      // Bodies are signed beforehand, so the requests leave at once.
      const creates = await Promise.all(
        Array.from({ length: CREATES }, () => createBody().then((c) => c.body)),
      );
      const joins = await Promise.all(
        seeded.flatMap(({ id, secret }) =>
          Array.from(
            { length: JOINS_PER_CONVERSATION },
            async () => ({ id, body: await joinBody(secret) }),
          )
        ),
      );

      const acknowledged: { conversation: string; participant: string }[] = [];
      let answered = 0;
      const { promise: firstAnswer, resolve } = Promise.withResolvers<void>();
      const track = (request: Promise<Record<string, unknown> | null>) =>
        request.then((admission) => {
          answered++;
          resolve();
          if (admission === null) return;
          acknowledged.push({
            conversation: (admission.conversation as { id: string }).id,
            participant: admission.participantId as string,
          });
        });
      const inFlight = [
        ...creates.map((body) => track(post(`${server.base}/api/conversations`, body))),
        ...joins.map(({ id, body }) =>
          track(post(`${server.base}/api/conversations/${id}/participants`, body))
        ),
      ];
      await firstAnswer;
      await server.kill("SIGKILL");
      await Promise.all(inFlight);
      const total = CREATES + joins.length;
      assert.ok(answered === total, "every request settled");
      assert.ok(acknowledged.length < total, "some requests were cut off by the kill");

      // A temporary file as a crash mid-write leaves it.
      const leftover = `${dataDir}/.01JD3Q8Z5V4T6N2M8K0P9R7S1A.0011223344556677.tmp`;
      await Deno.writeTextFile(leftover, '{"version":1,"id":"01JD3Q8Z5V4');

      server = await respawnServer(dataDir, server.port);
      const names: string[] = [];
      for await (const entry of Deno.readDir(dataDir)) names.push(entry.name);
      assert.deepEqual(
        names.filter((name) => name.endsWith(".tmp")),
        [],
        "temporary files removed",
      );

      const records = new Map<string, string[]>();
      for (const name of names) {
        assert.match(name, /^[0-9A-HJKMNP-TV-Z]{26}\.json$/);
        const record = parseConversationRecord(
          JSON.parse(await Deno.readTextFile(`${dataDir}/${name}`)),
        );
        assert.equal(`${record.id}.json`, name);
        assert.ok(record.participants.length <= 2);
        records.set(record.id, record.participants.map((p) => p.id));
      }
      for (const { id } of seeded) assert.ok(records.has(id), `seeded ${id} kept`);
      for (const { conversation, participant } of acknowledged) {
        assert.ok(
          records.get(conversation)?.includes(participant),
          `acknowledged participant ${participant} of ${conversation} kept`,
        );
      }
      // The restarted server serves what it acknowledged.
      const { conversation } = acknowledged[0] ?? { conversation: seeded[0].id };
      const response = await fetch(`${server.base}/api/conversations/${conversation}`);
      assert.equal(response.status, 200);
      await response.body?.cancel();
    } finally {
      await server.kill("SIGKILL");
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
