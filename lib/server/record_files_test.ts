import assert from "node:assert/strict";
import { RecordFiles, TEMP_SUFFIX } from "./record_files.ts";

const id = (n: number) => `01JD3Q8Z5V4T6N2M8K0P9R${String(n).padStart(4, "0")}`;

Deno.test("RecordFiles writes many files at once, each complete, sharing directory flushes, leaving no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  const files = new RecordFiles(dir);
  try {
    const texts = Array.from(
      { length: 50 },
      (_, n) => `{"n":${n},"pad":"${"x".repeat(n * 97)}"}\n`,
    );
    await Promise.all(texts.map((text, n) => files.write(id(n), text)));
    for (const [n, text] of texts.entries()) assert.equal(await files.read(id(n)), text);
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assert.equal(names.length, 50);
    assert.ok(names.every((name) => !name.endsWith(TEMP_SUFFIX)));
    // A rewrite replaces the whole file.
    await files.write(id(3), "{}\n");
    assert.equal(await files.read(id(3)), "{}\n");
  } finally {
    files.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RecordFiles reads a missing file as null and reports whether a removal found one", async () => {
  const dir = await Deno.makeTempDir();
  const files = new RecordFiles(dir);
  try {
    assert.equal(await files.read(id(1)), null);
    await files.write(id(1), "{}\n");
    assert.equal(await files.remove(id(1)), true);
    assert.equal(await files.remove(id(1)), false);
  } finally {
    files.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RecordFiles refuses to write into a directory that is gone and leaves nothing open", async () => {
  const dir = await Deno.makeTempDir();
  const files = new RecordFiles(`${dir}/missing`);
  try {
    await assert.rejects(() => files.write(id(1), "{}\n"), Deno.errors.NotFound);
  } finally {
    files.close();
    await Deno.remove(dir, { recursive: true });
  }
});
