import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { ClientParts } from "../../tests/fixtures/client_parts.ts";
import { makeStoredPair } from "../../tests/fixtures/stored_pair.ts";
import { AdmissionError, fetchConversation } from "./admission_http.ts";

const ID = "01JGZ0000000000000000000C2";

/** A server on 127.0.0.1 that answers every request with `status`. */
function answering(status: number): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("Service Unavailable", { status, headers: { "retry-after": "1" } }),
  );
}

Deno.test("fetchConversation() counts a busy or failing server (429, 500, 502, 503, 504) as unreachable, a malformed record as rejected", async () => {
  for (const status of [429, 500, 502, 503, 504]) {
    const server = answering(status);
    try {
      await assert.rejects(
        () => fetchConversation(`http://127.0.0.1:${server.addr.port}`, ID),
        (error: unknown) => error instanceof AdmissionError && error.code === "unreachable",
        `status ${status}`,
      );
    } finally {
      await server.shutdown();
    }
  }
  const junk = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ conversation: { id: 7 } }),
  );
  try {
    await assert.rejects(
      () => fetchConversation(`http://127.0.0.1:${junk.addr.port}`, ID),
      (error: unknown) => error instanceof AdmissionError && error.code === "rejected",
    );
  } finally {
    await junk.shutdown();
  }
});

for (const status of [503, 429]) {
  Deno.test(`a ${status} from the server on a record read the relay asked for leaves no keys warning and sending goes on`, async () => {
    const { creator } = await makeStoredPair({ session: true });
    const server = answering(status);
    try {
      await using parts = new ClientParts(creator, {
        baseUrl: `http://127.0.0.1:${server.addr.port}`,
      });
      const socket = await parts.online();
      // Each of these makes the browser read the record.
      socket.deliver({ type: "closed", reason: "deleted" });
      socket.deliver({ type: "error", code: "auth_failed", message: "no" });
      await parts.settle();
      parts.state.acknowledgeProblems();
      assert.deepEqual(parts.state.problems.filter((p) => p.kind === "keys"), []);
      assert.equal(parts.state.paused, false);
      // Nothing stands in the way of a session reset.
      await parts.reset.start();
    } finally {
      await server.shutdown();
    }
  });
}
