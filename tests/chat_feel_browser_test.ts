/**
 * How the chat feels in daily use, in real Chromium against a real server:
 * the composer stays in view, right-to-left text is laid out right to left,
 * an ended conversation says so, and Create is safe before scripts load.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  hydrated,
  joinedPair,
  send,
  withScene,
} from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

/** Whether the composer is inside the viewport, the document does not scroll, and `text` shows. */
async function layout(page: Page, text: string) {
  return await page.evaluate((text) => {
    const composer = document.querySelector(".composer")!.getBoundingClientRect();
    const header = document.querySelector(".chat-header")!.getBoundingClientRect();
    const bubbles = [...document.querySelectorAll(".message .text")];
    const newest = bubbles.find((b) => b.textContent === text)!.getBoundingClientRect();
    const list = document.querySelector(".messages")!.getBoundingClientRect();
    return {
      composerInView: composer.top >= 0 && composer.bottom <= innerHeight + 1,
      headerInView: header.top >= 0 && header.bottom <= innerHeight,
      documentScrolls: document.scrollingElement!.scrollHeight > innerHeight + 1,
      newestVisible: newest.bottom <= list.bottom + 1 && newest.top >= list.top - 1 &&
        newest.bottom <= innerHeight,
    };
  }, text);
}

for (
  const [size, viewport] of [
    ["desktop", { width: 1280, height: 800 }],
    ["phone", { width: 390, height: 844 }],
  ] as const
) {
  Deno.test({
    ...options,
    name:
      `on a ${size} after 30 messages the composer stays in view, only the message list scrolls, and reopening lands on the newest message`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, { viewport });
        for (let i = 1; i <= 30; i++) await send(i % 2 ? adam : eve, `message number ${i}`);
        await bubble(adam, "message number 30").waitFor();
        await bubble(eve, "message number 30").waitFor();
        for (const page of [adam, eve]) {
          assert.deepEqual(await layout(page, "message number 30"), {
            composerInView: true,
            headerInView: true,
            documentScrolls: false,
            newestVisible: true,
          });
        }
        await adam.reload();
        await hydrated(adam);
        await bubble(adam, "message number 30").waitFor();
        // Let a late layout settle before measuring.
        await adam.waitForTimeout(300);
        assert.deepEqual(await layout(adam, "message number 30"), {
          composerInView: true,
          headerInView: true,
          documentScrolls: false,
          newestVisible: true,
        });
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

Deno.test({
  ...options,
  name:
    "right-to-left messages and file names (Arabic, Hebrew) carry dir=auto and are laid out right to left",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene);
      const arabic = "مرحبا، كيف حالك؟";
      const hebrew = "שלום, מה שלומך?";
      await send(adam, arabic);
      await send(eve, hebrew);
      await adam.setInputFiles("#attach", {
        name: "تقرير.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("hello"),
      });
      for (const page of [adam, eve]) {
        for (const text of [arabic, hebrew]) {
          const element = bubble(page, text);
          await element.waitFor();
          assert.equal(await element.getAttribute("dir"), "auto");
          assert.equal(await element.evaluate((e) => getComputedStyle(e).direction), "rtl");
        }
        const name = page.locator(".file-name", { hasText: "تقرير.txt" });
        await name.waitFor();
        assert.equal(await name.getAttribute("dir"), "auto");
        assert.equal(await name.evaluate((e) => getComputedStyle(e).direction), "rtl");
      }
      assert.equal(await adam.locator("#message").getAttribute("dir"), "auto");
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  ...options,
  name:
    "after the other person deletes the conversation the header says Ended, not Offline or Ends in",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene);
      await adam.getByRole("button", { name: "Delete conversation" }).click();
      await adam.getByRole("button", { name: "Delete", exact: true }).click();
      await eve.locator('[data-testid="closed"]').waitFor();
      const header = eve.locator(".chat-header");
      assert.equal(await eve.locator('[data-testid="peer-state"]').textContent(), "Ended");
      const text = await header.textContent() ?? "";
      assert.ok(!text.includes("Offline"), text);
      assert.ok(!text.includes("Ends "), text);
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  ...options,
  name:
    "before the scripts have loaded Create is disabled with a visible reason and never submits a plain page load",
  async fn() {
    await withScene(async (scene) => {
      const page = await scene.newPage();
      await page.route("**/_islands/**", (route) => route.abort());
      await page.goto(`${scene.server.base}/`);
      const create = page.locator("#create");
      await create.waitFor();
      assert.equal(await create.isDisabled(), true);
      assert.ok(await page.getByTestId("create-wait").isVisible());
      await create.click({ force: true });
      await page.waitForTimeout(500);
      assert.equal(new URL(page.url()).search, "");
      assert.ok(!page.url().includes("lifetime="));

      // Once the scripts run the reason goes away and the button works.
      const ready = await scene.newPage();
      await createConversation(ready, scene.server.base);
      assert.match(ready.url(), /\/c\/[0-9A-Z]{26}$/);
    });
  },
});
