/**
 * File transfer benchmark: one file of 25 MiB (by default) from one browser
 * to the other through the app's server with its default relay limits, in
 * real Chromium with IndexedDB, timed from picking the file until the
 * receiver has it whole and checked. Needs `deno task build` first.
 *
 * Run alone: `deno run --allow-all bench/file_transfer.ts [MiB]`.
 *
 * @module
 */
import { joinedPair, startScene } from "../tests/fixtures/pages.ts";

/** The result of one transfer. */
export interface FileTransferResult {
  bytes: number;
  /** From picking the file to the receiver holding it whole, in milliseconds. */
  totalMs: number;
  /** From the sender's progress bar (hashed, stored, announced) to the end. */
  transferMs: number;
  /** Payload throughput over `transferMs`, MiB a second. */
  mibPerSecond: number;
}

/** Sends one file of `mib` MiB between two browsers and times it. */
export async function benchFileTransfer(mib = 25): Promise<FileTransferResult> {
  // The relay's own per-socket limits, not the generous ones of the tests.
  await using scene = await startScene({
    serverEnv: { SEND_PER_SECOND: "" },
  });
  const { adam, eve } = await joinedPair(scene);
  const bytes = mib * 1024 * 1024;
  const started = performance.now();
  await adam.evaluate((size) => {
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], "bench.bin", { type: "application/octet-stream" }));
    const input = document.querySelector<HTMLInputElement>("#attach")!;
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }, bytes);
  await adam.locator("progress.file-progress").waitFor({ timeout: 120_000 });
  const announced = performance.now();
  // Whole and checked: its Download link appears (it may already read "Read").
  await eve.locator('.message.in[data-kind="file"] .file-download').waitFor({
    timeout: 600_000,
  });
  const done = performance.now();
  const transferMs = done - announced;
  return {
    bytes,
    totalMs: done - started,
    transferMs,
    mibPerSecond: mib / (transferMs / 1000),
  };
}

if (import.meta.main) {
  const mib = Number(Deno.args[0] ?? 25);
  const result = await benchFileTransfer(mib);
  console.log(
    `file transfer: ${mib} MiB in ${(result.totalMs / 1000).toFixed(1)} s end to end ` +
      `(${(result.transferMs / 1000).toFixed(1)} s after the announcement, ` +
      `${result.mibPerSecond.toFixed(1)} MiB/s)`,
  );
}
