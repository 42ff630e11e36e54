import "../i18n/use_english.ts";
import assert from "node:assert/strict";
import { FILE_CHUNK_BYTES } from "../crypto/payload_limits.ts";
import {
  assembleFile,
  chunkBytes,
  describeFile,
  FileIntegrityError,
  isPreviewableImage,
  readChunk,
} from "./file_info.ts";

function randomFile(size: number, type = "application/pdf"): Blob {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return new Blob([bytes], { type });
}

Deno.test("a file cut into chunks and put back together is the same, byte for byte", async () => {
  const file = randomFile(FILE_CHUNK_BYTES * 2 + 17);
  const info = await describeFile(file, "report.pdf", 1024 * 1024);
  assert.equal(info.chunks, 3);
  const chunks = await Promise.all([0, 1, 2].map((i) => readChunk(file, i)));
  const whole = await assembleFile(chunks, info);
  assert.deepEqual(
    new Uint8Array(await whole.arrayBuffer()),
    new Uint8Array(await file.arrayBuffer()),
  );
  assert.equal(whole.type, "application/pdf");
});

Deno.test("assembleFile() refuses a changed, missing or extra chunk", async () => {
  const file = randomFile(FILE_CHUNK_BYTES + 5);
  const info = await describeFile(file, "x.bin", 1024 * 1024);
  const chunks = [await readChunk(file, 0), await readChunk(file, 1)];
  const changed = [chunks[0], chunks[1].map((b, i) => i === 0 ? b ^ 1 : b)];
  await assert.rejects(() => assembleFile(changed, info), FileIntegrityError);
  await assert.rejects(() => assembleFile([chunks[0]], info), FileIntegrityError);
  await assert.rejects(
    () => assembleFile([...chunks, new Uint8Array(1)], info),
    FileIntegrityError,
  );
});

Deno.test("describeFile() enforces the size cap and cleans names and types", async () => {
  await assert.rejects(
    () => describeFile(randomFile(2048), "big", 1024),
    new RangeError('Cannot send "big": it is 2 kB, above the 1 kB limit'),
  );
  const info = await describeFile(randomFile(10, "text/<html>"), "../../etc/passwd\n", 1024);
  assert.equal(info.mime, "application/octet-stream");
  assert.equal(info.name, ".._.._etc_passwd_");
  const empty = await describeFile(randomFile(0), "   ", 1024);
  assert.equal(empty.name, "file");
  assert.equal(empty.chunks, 1);
});

Deno.test("only raster images are previewed inline", () => {
  assert.ok(isPreviewableImage("image/png"));
  assert.ok(!isPreviewableImage("image/svg+xml"));
  assert.ok(!isPreviewableImage("text/html"));
});

Deno.test("chunkBytes() gives each chunk's length: whole chunks, the short last one, none past the end", () => {
  assert.equal(chunkBytes(100_000, 0), 49_152);
  assert.equal(chunkBytes(100_000, 1), 49_152);
  assert.equal(chunkBytes(100_000, 2), 1_696);
  assert.equal(chunkBytes(100_000, 3), 0);
  assert.equal(chunkBytes(0, 0), 0);
});
