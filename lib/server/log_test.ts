import assert from "node:assert/strict";

const LOG_MODULE = new URL("./log.ts", import.meta.url).href;

/** Runs `code` in a child Deno with `consoleLogger` imported as `log`. */
function child(code: string, stdout: "piped" | "null") {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { consoleLogger } from "${LOG_MODULE}"; const log = consoleLogger(); ${code}`,
    ],
    stdout,
    stderr: "piped",
  }).spawn();
}

Deno.test("consoleLogger() writes one JSON line per event with its time, name and fields", async () => {
  const output = await child(
    `log("conversation_created", { conversation: "…ABCDEF" }); log("sweep", { removed: 2 });`,
    "piped",
  ).output();
  assert.equal(output.code, 0);
  const lines = new TextDecoder().decode(output.stdout).split("\n");
  assert.equal(lines.length, 3, "two lines, each ended by a newline");
  assert.equal(lines[2], "");
  const [first, second] = lines.slice(0, 2).map((line) => JSON.parse(line));
  assert.deepEqual(Object.keys(first), ["time", "event", "conversation"]);
  assert.equal(first.event, "conversation_created");
  assert.equal(first.conversation, "…ABCDEF");
  assert.equal(new Date(first.time).toISOString(), first.time);
  assert.deepEqual({ event: second.event, removed: second.removed }, {
    event: "sweep",
    removed: 2,
  });
});

Deno.test("consoleLogger() drops a line it cannot write instead of throwing: standard output closed", async () => {
  const process = child(
    `await new Promise((r) => setTimeout(r, 300));
     log("conversation_created", { conversation: "…ABCDEF" });
     console.error("still running");`,
    "piped",
  );
  await process.stdout.cancel();
  const { code } = await process.status;
  const stderr = new TextDecoder().decode(
    new Uint8Array(await new Response(process.stderr).arrayBuffer()),
  );
  assert.equal(code, 0, stderr);
  assert.match(stderr, /still running/);
});
