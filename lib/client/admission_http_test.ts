import assert from "node:assert/strict";
import { AdmissionError, fetchConversation } from "./admission_http.ts";

Deno.test("fetchConversation() gives up on a server that accepts but never answers", async () => {
  // A listener that takes the connection and says nothing, like a half-dead proxy.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const started = Date.now();
  await assert.rejects(
    () =>
      fetchConversation(
        `http://127.0.0.1:${listener.addr.port}`,
        "01JGZ0000000000000000000C2",
        { timeoutMs: 200 },
      ),
    (error: unknown) => error instanceof AdmissionError && error.code === "unreachable",
  );
  assert.ok(Date.now() - started < 5000, "within the timeout, not the platform's");
  for (const conn of held) conn.close();
  listener.close();
  await accepting.catch(() => {});
});
