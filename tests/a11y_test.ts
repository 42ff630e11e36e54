/**
 * An automated accessibility check of every page in real Chromium: axe-core
 * runs inside each page (through the DevTools protocol, so the page's CSP
 * stays as it is) and no serious or critical violation may be found.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { seriousViolations } from "./fixtures/axe.ts";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  join,
  openInvite,
  reload,
  send,
  withScene,
} from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();

async function check(page: Page, name: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await seriousViolations(page), [], `${name} (${scheme})`);
  }
}

Deno.test({
  name: "no page has a serious or critical accessibility violation, light or dark",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withScene(async (scene) => {
      const { server } = scene;
      const adam = await scene.newPage();
      const eve = await scene.newPage();
      let invite = "";

      await t.step("home", async () => {
        await adam.goto(`${server.base}/`);
        await adam.locator("#create").waitFor();
        await check(adam, "home");
      });

      await t.step("chat, waiting for the other person", async () => {
        invite = await createConversation(adam, server.base);
        await adam.locator('[data-testid="invite-qr"]').waitFor();
        await check(adam, "chat waiting");
      });

      await t.step("the invite page, before Join, and after a reload", async () => {
        await openInvite(eve, invite);
        await check(eve, "invite page");
        await reload(eve);
        await eve.getByRole("heading", { name: "Open the invite link again" }).waitFor();
        await check(eve, "invite lost");
      });

      await t.step("chat, with messages both ways, and the creator's join notice", async () => {
        await join(adam, eve, invite);
        await adam.getByTestId("joined-notice").waitFor();
        await send(adam, "hello");
        await bubble(eve, "hello").waitFor();
        await send(eve, "hi, with a longer reply that wraps onto a second line on a phone");
        await bubble(adam, "hi, with a longer").waitFor();
        await adam.locator('.message.out[data-status="delivered"]').waitFor();
        await check(adam, "chat with messages");
        await adam.getByRole("button", { name: "Delete conversation" }).click();
        await check(adam, "chat asking to delete");
      });

      await t.step("home listing a conversation, and settings", async () => {
        await adam.goto(`${server.base}/`);
        await adam.locator(".conversation-list li").waitFor();
        await check(adam, "home with list");
        await adam.goto(`${server.base}/settings`);
        await adam.locator('[data-testid="storage-row"]').waitFor();
        await check(adam, "settings");
      });

      await t.step(
        "notice pages: damaged link, unknown conversation, not found, offline",
        async () => {
          const [url, secret] = invite.split("#");
          const mallory = await scene.newPage();
          await mallory.goto(`${url}#${secret.slice(0, 20)}`);
          await mallory.getByRole("heading", { name: "This invite link is damaged" }).waitFor();
          await check(mallory, "damaged link");
          await mallory.goto(`${url}#${secret.slice(0, 42)}A`);
          await mallory.getByRole("heading", { name: "This invite link is from an older version" })
            .waitFor();
          await check(mallory, "older invite link");
          await mallory.goto(`${server.base}/c/not-an-id`);
          await check(mallory, "bad conversation address");
          await mallory.goto(`${server.base}/nowhere`);
          await mallory.getByRole("heading", { name: "Nothing here" }).waitFor();
          await check(mallory, "404");
          await mallory.goto(`${server.base}/offline`);
          await check(mallory, "offline");
        },
      );
    });
  },
});
