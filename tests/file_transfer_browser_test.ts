/**
 * File transfers as people use them: large images open in a viewer, a
 * transfer shows its percent and time left on both sides and can be
 * cancelled by either, and a 25 MiB file arrives intact. Two isolated
 * contexts in real Chromium, a real server process.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { joinedPair, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

/** The relay's own per-socket limits, not the generous ones of other tests. */
const RELAY_DEFAULTS = { SEND_PER_SECOND: "" };

/**
 * Makes a file of `size` random bytes inside `page` and picks it with the
 * paperclip, as a person would; returns its SHA-256 in hex. Made in the page,
 * so no 25 MiB travels through the test driver.
 */
async function attachRandom(page: Page, name: string, size: number): Promise<string> {
  return await page.evaluate(async ({ name, size }) => {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "application/octet-stream" }));
    const input = document.querySelector<HTMLInputElement>("#attach")!;
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  }, { name, size });
}

/** Downloads the file of the bubble named `name` and returns its SHA-256 in hex. */
async function downloadedSha256(page: Page, name: string): Promise<string> {
  const file = page.locator('[data-testid="file"]', { hasText: name });
  const [event] = await Promise.all([
    page.waitForEvent("download"),
    file.getByRole("link", { name: "Download" }).click(),
  ]);
  const bytes = await Deno.readFile((await event.path())!);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test({
  ...options,
  name: "a 25 MiB file arrives intact, its sha256 matching, with the relay's default limits",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene, { acceptDownloads: true });
      const started = performance.now();
      const sent = await attachRandom(adam, "large.bin", 25 * 1024 * 1024);
      await adam.locator("progress.file-progress").waitFor();
      const announced = performance.now();
      await eve.locator('.message.in[data-kind="file"][data-status="received"]', {
        hasText: "large.bin",
      }).waitFor({ timeout: 180_000 });
      // The time goes to the report, never into an assertion: see bench/file_transfer.ts.
      const done = performance.now();
      console.log(
        `25 MiB: ${((done - started) / 1000).toFixed(1)} s end to end, ` +
          `${((done - announced) / 1000).toFixed(1)} s after the announcement`,
      );
      assert.equal(await downloadedSha256(eve, "large.bin"), sent);
      assert.deepEqual(scene.errors, []);
    }, RELAY_DEFAULTS);
  },
});
