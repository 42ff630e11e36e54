import "../i18n/use_english.ts";
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

Deno.test("fetchConversation() takes only the server's own not_found for a conversation that is gone", async () => {
  const answers = [
    Response.json({ error: { code: "not_found", message: "gone" } }, { status: 404 }),
    new Response("<html>Not Found</html>", { status: 404 }),
    Response.json({ error: { code: "invalid_id", message: "bad" } }, { status: 400 }),
    new Response("Bad Request", { status: 400 }),
  ];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => answers.shift()!,
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const id = "01JGZ0000000000000000000C2";
  try {
    assert.equal(await fetchConversation(base, id), null);
    await assert.rejects(
      () => fetchConversation(base, id),
      (error: unknown) => error instanceof AdmissionError && error.code === "unreachable",
    );
    assert.equal(await fetchConversation(base, id), null);
    await assert.rejects(
      () => fetchConversation(base, id),
      (error: unknown) => error instanceof AdmissionError && error.code === "unreachable",
    );
  } finally {
    await server.shutdown();
  }
});
