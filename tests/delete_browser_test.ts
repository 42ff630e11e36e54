/**
 * Deleting a conversation in Settings while its chat tab is open, in real
 * Chromium: two pages of one browser context are the two tabs (one
 * IndexedDB, one set of Web Locks), and the other person is another
 * context. The open tab stops before the delete, and nothing the other
 * person sends afterwards is written back to IndexedDB.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  hydrated,
  join,
  type Scene,
  send,
  watchErrors,
  withScene,
} from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

/** Rows IndexedDB holds under `conversationId`, read in `page` past the app's own code. */
function storedRows(page: Page, conversationId: string) {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open("the-anonymous");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(["conversations", "messages", "files", "chunks"]);
    const count = (name: string, query: IDBValidKey | IDBKeyRange) =>
      new Promise<number>((resolve, reject) => {
        const request = tx.objectStore(name).count(query);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const all = IDBKeyRange.bound([id], [id, []]);
    const rows = {
      conversations: await count("conversations", id),
      messages: await count("messages", all),
      files: await count("files", all),
      chunks: await count("chunks", all),
    };
    db.close();
    return rows;
  }, conversationId);
}

const NOTHING = { conversations: 0, messages: 0, files: 0, chunks: 0 };

/** Adam and Eve in a conversation, both chat pages open and online. */
async function pair(scene: Scene) {
  const adam = await scene.newPage();
  const eve = await scene.newPage();
  const invite = await createConversation(adam, scene.server.base);
  await join(adam, eve, invite);
  await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
  const conversationId = new URL(adam.url()).pathname.split("/").at(-1)!;
  return { adam, eve, conversationId };
}

/** Opens Settings in a second tab of `page`'s browser context. */
async function settingsTab(scene: Scene, page: Page): Promise<Page> {
  const settings = await page.context().newPage();
  watchErrors(settings, scene.errors);
  await settings.goto(`${scene.server.base}/settings`);
  await hydrated(settings);
  await settings.locator('[data-testid="storage-row"]').first().waitFor();
  return settings;
}

Deno.test({
  ...options,
  name:
    "a conversation deleted in settings while its chat tab is open stops that tab, and a later message from the peer leaves nothing in IndexedDB",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve, conversationId } = await pair(scene);
      await send(adam, "before the delete");
      await bubble(eve, "before the delete").waitFor();

      const settings = await settingsTab(scene, eve);
      await settings.getByRole("button", { name: /^Delete Joined here/ }).click();
      await settings.getByRole("button", { name: "Delete", exact: true }).click();
      await settings.locator('[data-testid="storage-empty"]').waitFor();

      // The chat tab stopped and says why; its socket is closed, so Adam sees Eve leave.
      await eve.getByRole("heading", { name: "Deleted in another tab" }).waitFor();
      await adam.locator('[data-testid="peer-state"][data-state="offline"]').waitFor();
      await send(adam, "after the delete");
      await bubble(adam, "after the delete").waitFor();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(
        await adam.locator(".message.out", { hasText: "after the delete" }).getAttribute(
          "data-status",
        ),
        "pending",
        "nothing acknowledged the message",
      );
      assert.equal(await bubble(eve, "after the delete").count(), 0);
      assert.deepEqual(await storedRows(settings, conversationId), NOTHING);
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  ...options,
  name:
    "delete everything in settings stops every open chat tab first, and a later message from the peer leaves nothing in IndexedDB",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve, conversationId } = await pair(scene);
      // A second conversation of Adam's, open in a third tab.
      const other = await adam.context().newPage();
      watchErrors(other, scene.errors);
      await createConversation(other, scene.server.base);
      const otherId = new URL(other.url()).pathname.split("/").at(-1)!;

      const settings = await settingsTab(scene, adam);
      await settings.getByRole("button", { name: "Delete everything" }).click();
      await settings.getByRole("button", { name: "Delete everything" }).click();
      await settings.locator('[data-testid="storage-empty"]').waitFor();

      await adam.getByRole("heading", { name: "Deleted in another tab" }).waitFor();
      await other.getByRole("heading", { name: "Deleted in another tab" }).waitFor();
      await eve.locator('[data-testid="peer-state"][data-state="offline"]').waitFor();
      await send(eve, "after everything was deleted");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await bubble(adam, "after everything was deleted").count(), 0);
      assert.deepEqual(await storedRows(settings, conversationId), NOTHING);
      assert.deepEqual(await storedRows(settings, otherId), NOTHING);
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  ...options,
  name: "orphan rows whose conversation record is gone are swept when a page opens the storage",
  async fn() {
    await withScene(async (scene) => {
      const page = await scene.newPage();
      await createConversation(page, scene.server.base);
      const keptId = new URL(page.url()).pathname.split("/").at(-1)!;
      const orphanId = "01JGZ00000000000000000000Z";
      // Rows of a conversation whose record is gone, as an older version could leave them.
      await page.evaluate(async (id) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open("the-anonymous");
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const tx = db.transaction(["messages", "files", "chunks"], "readwrite");
        tx.objectStore("messages").put({ conversationId: id, id: "01JGZ0000000000000000000M1" });
        tx.objectStore("files").put({ conversationId: id, id: "01JGZ0000000000000000000F1" });
        tx.objectStore("chunks").put({
          conversationId: id,
          fileId: "01JGZ0000000000000000000F1",
          index: 0,
          data: new Uint8Array(8),
        });
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      }, orphanId);
      assert.deepEqual(await storedRows(page, orphanId), {
        conversations: 0,
        messages: 1,
        files: 1,
        chunks: 1,
      });
      await page.goto(`${scene.server.base}/`);
      await hydrated(page);
      await page.locator(".conversation-list li").waitFor();
      // Swept once the page is idle.
      const deadline = Date.now() + 5000;
      while ((await storedRows(page, orphanId)).messages > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(await storedRows(page, orphanId), NOTHING);
      assert.equal((await storedRows(page, keptId)).conversations, 1);
      assert.deepEqual(scene.errors, []);
    });
  },
});
