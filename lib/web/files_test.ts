import assert from "node:assert/strict";
import { asDir, listFiles, sha256Hex } from "./files.ts";

Deno.test("listFiles() lists nested files in order", async () => {
  const dir = new URL("./testdata/routes/api", import.meta.url);
  assert.deepEqual(await listFiles(dir), [
    "_middleware.ts",
    "boom.ts",
    "conversations/[id]/index.ts",
    "conversations/index.ts",
    "conversations/new.ts",
  ]);
  assert.deepEqual(await listFiles(new URL("./missing/", dir)), []);
});

Deno.test("sha256Hex() hashes bytes", async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("asDir() adds one trailing slash", () => {
  assert.equal(asDir(new URL("file:///a/b")).href, "file:///a/b/");
  assert.equal(asDir(new URL("file:///a/b/")).href, "file:///a/b/");
});
