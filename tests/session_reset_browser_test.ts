/**
 * The session reset as people meet it, in real Chromium: a session broken
 * by a restored older state shows its warning with "Reset secure session",
 * and one click gets both people talking again.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, createConversation, join, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

/**
 * Copies the page's stored conversation (keys and ratchet included) into a
 * database of the test's own, or puts that copy back: a backup restored.
 */
function backup(page: Page, direction: "save" | "restore"): Promise<void> {
  return page.evaluate(async (direction) => {
    const open = (name: string, create?: string) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = create === undefined ? indexedDB.open(name) : indexedDB.open(name, 1);
        request.onupgradeneeded = () => {
          if (create !== undefined) request.result.createObjectStore(create, { keyPath: "id" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const done = (request: IDBRequest) =>
      new Promise<unknown>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const app = await open("the-anonymous");
    const kept = await open("test-backup", "kept");
    const [from, to, store] = direction === "save"
      ? [app, kept, "conversations"]
      : [kept, app, "kept"];
    const [record] = await done(from.transaction(store).objectStore(store).getAll()) as unknown[];
    const target = direction === "save" ? "kept" : "conversations";
    await done(to.transaction(target, "readwrite").objectStore(target).put(record));
    app.close();
    kept.close();
  }, direction);
}

Deno.test({
  ...options,
  name:
    "session reset in Chromium: a broken session's warning offers Reset secure session, and after one click both people talk again",
  async fn() {
    await withScene(async (scene) => {
      const adam = await scene.newPage();
      const eve = await scene.newPage();
      const invite = await createConversation(adam, scene.server.base);
      const conversationUrl = invite.split("#")[0];
      await join(adam, eve, invite);
      await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
      await send(adam, "one");
      await bubble(eve, "one").waitFor();
      await adam.locator('.message.out[data-status="delivered"]').waitFor();
      await backup(eve, "save");
      // A full round trip moves both ratchets past the backup.
      await send(eve, "two");
      await bubble(adam, "two").waitFor();
      await send(adam, "three");
      await bubble(eve, "three").waitFor();
      await eve.locator('.message.out[data-status="delivered"]').waitFor();

      // Eve's browser comes back from the backup, and writes.
      await eve.goto(`${scene.server.base}/settings`);
      await backup(eve, "restore");
      await eve.goto(conversationUrl);
      await eve.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
      await send(eve, "four");
      const problems = adam.locator('[data-testid="problems"]');
      await problems.waitFor();
      assert.equal(await bubble(adam, "four").count(), 0, "the broken session shows nothing");

      await problems.getByRole("button", { name: "Reset secure session" }).click();
      await problems.waitFor({ state: "detached" });
      for (const page of [adam, eve]) {
        await page.locator('.notice-line[data-kind="reset"]', {
          hasText: /^The secure session was reset$/,
        }).waitFor();
      }
      await bubble(adam, "four").waitFor();
      await send(adam, "five");
      await bubble(eve, "five").waitFor();
      await send(eve, "six");
      await bubble(adam, "six").waitFor();
      for (const page of [adam, eve]) {
        assert.equal(await page.locator(".message").count(), 6, "every message once");
        assert.equal(await page.locator('[data-testid="problems"]').count(), 0);
      }
      assert.deepEqual(scene.errors, []);
    });
  },
});
