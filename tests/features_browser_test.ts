/**
 * Files, typing, read receipts and disappearing messages as people use them:
 * two isolated contexts in real Chromium, a real server process.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  hydrated,
  join,
  joinedPair,
  send,
  withScene,
} from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return bytes;
}

/** A 2×2 PNG, enough for the browser to decode and show. */
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

/** Downloads the file of the bubble named `name` and returns its bytes. */
async function download(page: Page, name: string): Promise<Uint8Array> {
  const file = page.locator('[data-testid="file"]', { hasText: name });
  const [event] = await Promise.all([
    page.waitForEvent("download"),
    file.getByRole("link", { name: "Download" }).click(),
  ]);
  assert.equal(event.suggestedFilename(), name);
  return await Deno.readFile((await event.path())!);
}

Deno.test({
  ...options,
  name:
    "files arrive byte for byte, 10 MiB included, with progress on both sides and image previews",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene, { acceptDownloads: true });

      await adam.setInputFiles("#attach", {
        name: "dot.png",
        mimeType: "image/png",
        buffer: Buffer.from(PNG),
      });
      const preview = eve.locator("img.file-image");
      await preview.waitFor();
      assert.ok(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth === 2));
      assert.deepEqual(await download(eve, "dot.png"), PNG);

      const big = randomBytes(10 * 1024 * 1024);
      await adam.setInputFiles("#attach", {
        name: "big.bin",
        mimeType: "application/octet-stream",
        buffer: Buffer.from(big),
      });
      // Both sides show a progress bar while the chunks travel.
      await adam.locator("progress.file-progress").waitFor();
      await eve.locator("progress.file-progress").waitFor();
      const received = eve.locator('.message.in[data-kind="file"]', { hasText: "big.bin" });
      await received.and(eve.locator('[data-status="received"], [data-status="read"]')).waitFor({
        timeout: 60_000,
      });
      assert.deepEqual(await download(eve, "big.bin"), big);
      await adam.locator('.message.out[data-kind="file"][data-status="delivered"]', {
        hasText: "big.bin",
      }).waitFor();
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  ...options,
  name: "the other person's typing shows, and read receipts appear only when both allow them",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene, { acceptDownloads: true });
      await adam.type("#message", "hel");
      await eve.getByText("The other person is typing…").waitFor();
      await send(adam, "hello");
      await bubble(eve, "hello").waitFor();
      await eve.getByText("The other person is typing…").waitFor({ state: "detached" });
      await adam.locator('.message.out[data-status="delivered"]').waitFor();
      await eve.bringToFront();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await adam.locator('.message.out[data-status="read"]').count(), 0);

      for (const page of [adam, eve]) {
        await page.goto(`${scene.server.base}/settings`);
        await hydrated(page);
        await page.check("#read-receipts");
        await page.goBack();
      }
      await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
      await eve.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
      await send(adam, "now you can tell");
      await bubble(eve, "now you can tell").waitFor();
      await eve.bringToFront();
      await eve.locator("#message").focus();
      await adam.locator('.message.out[data-status="read"]', { hasText: "now you can tell" })
        .waitFor();

      // Read only once seen: a message that comes while Eve has scrolled up
      // stays "delivered" until she reaches it.
      for (let i = 0; i < 8; i++) await send(adam, `Line ${i}\n${"more\n".repeat(5)}end`);
      await bubble(eve, "Line 7").waitFor();
      await adam.locator('.message.out[data-status="read"]', { hasText: "Line 7" }).waitFor();
      await eve.locator(".messages").evaluate((list) => list.scrollTop = 0);
      await send(adam, "while you look back");
      await eve.getByTestId("new-messages").waitFor();
      await eve.locator("#message").focus();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const looked = adam.locator(".message.out", { hasText: "while you look back" });
      assert.equal(await looked.getAttribute("data-status"), "delivered");
      await eve.getByTestId("new-messages").click();
      await adam.locator('.message.out[data-status="read"]', { hasText: "while you look back" })
        .waitFor();
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  ...options,
  name: "disappearing messages: a timer both sides agree on removes messages from both browsers",
  async fn() {
    await withScene(async (scene) => {
      const adam = await scene.newPage();
      const eve = await scene.newPage();
      // Both pages run on a controllable clock, so five minutes pass at once.
      await adam.clock.install();
      await eve.clock.install();
      const invite = await createConversation(adam, scene.server.base);
      await join(adam, eve, invite);
      await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
      await adam.selectOption('select[aria-label="Disappearing messages"]', "300");
      await eve.getByText("They set disappearing messages to 5 minutes").waitFor();
      assert.equal(
        await eve.locator('select[aria-label="Disappearing messages"]').inputValue(),
        "300",
      );
      await send(adam, "this will vanish");
      await bubble(eve, "this will vanish").waitFor();
      await adam.locator('.message.out[data-status="delivered"]').waitFor();
      for (const page of [adam, eve]) await page.clock.fastForward("05:02");
      await bubble(adam, "this will vanish").waitFor({ state: "detached" });
      await bubble(eve, "this will vanish").waitFor({ state: "detached" });
      // Gone from storage too: a reload does not bring it back.
      await eve.reload();
      await eve.getByText("They set disappearing messages to 5 minutes").waitFor();
      assert.equal(await bubble(eve, "this will vanish").count(), 0);
      assert.deepEqual(scene.errors, []);
    });
  },
});
