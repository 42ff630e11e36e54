/**
 * The invite link as link scanners and people meet it, in real Chromium
 * against a real server process: loading the link takes no seat, the secret
 * stays in the page's memory until "Join conversation", and the creator is
 * told when someone joins.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { fetchConversation } from "../lib/client/admission.ts";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  joinedPair,
  openInvite,
  reload,
  send,
  withScene,
} from "./fixtures/pages.ts";

const options = { ignore: !browserTestsEnabled(), sanitizeResources: false, sanitizeOps: false };

/** How many people the server counts in the conversation of `invite`. */
async function participants(base: string, invite: string): Promise<number> {
  const id = new URL(invite).pathname.split("/").at(-1)!;
  const record = await fetchConversation(base, id);
  return record?.participants.length ?? 0;
}

/** Everything this origin keeps in IndexedDB, sessionStorage and localStorage, as text. */
async function keptText(page: Page): Promise<string> {
  return await page.evaluate(async () => {
    const parts = [JSON.stringify({ ...sessionStorage }), JSON.stringify({ ...localStorage })];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const name of db.objectStoreNames) {
        const all = db.transaction(name).objectStore(name).getAll();
        parts.push(
          await new Promise<string>((resolve) =>
            all.onsuccess = () => resolve(JSON.stringify(all.result))
          ),
        );
      }
      db.close();
    }
    return parts.join("\n");
  });
}

Deno.test({
  ...options,
  name:
    "a scanner that loads the full invite link takes no seat; the person who clicks Join does, and the creator is told",
  async fn() {
    await withScene(async (scene) => {
      const { server, errors } = scene;
      const adam = await scene.newPage();
      const invite = await createConversation(adam, server.base);
      const fragment = invite.split("#")[1];

      // A link scanner: loads the whole link, runs the page's script, clicks nothing.
      const scanner = await scene.newPage();
      await openInvite(scanner, invite);
      await scanner.getByRole("heading", { name: "You were invited to a private conversation" })
        .waitFor();
      assert.equal(
        await scanner.evaluate(() => location.hash),
        "",
        "no fragment in the address bar",
      );
      assert.ok(!scanner.url().includes("#"));
      const shown = await scanner.getByTestId("invite-fingerprint").textContent() ?? "";
      assert.match(shown, /^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
      assert.equal(
        await adam.getByTestId("own-fingerprint").textContent(),
        shown,
        "the creator sees the fingerprint the invited page shows",
      );
      const kept = await keptText(scanner);
      assert.ok(!kept.includes(fragment.slice(0, 43)), "the secret is in no storage");
      // Give a stray request time to land before counting.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(await participants(server.base, invite), 1, "the scanner took no seat");
      await scanner.close();
      await adam.getByText("Waiting for the other person to join").waitFor();

      // The real person clicks Join and the two can talk.
      const eve = await scene.newPage();
      await openInvite(eve, invite);
      assert.equal(await participants(server.base, invite), 1, "nothing before the click");
      await eve.getByRole("button", { name: "Join conversation" }).click();
      await eve.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      await adam.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      assert.equal(await participants(server.base, invite), 2);
      await send(adam, "is it you?");
      await bubble(eve, "is it you?").waitFor();
      await send(eve, "it is me");
      await bubble(adam, "it is me").waitFor();

      // The creator is asked to compare the safety number; the joiner is not.
      const notice = adam.getByTestId("joined-notice");
      await notice.waitFor();
      assert.match(
        await notice.textContent() ?? "",
        /Someone joined\. Compare the safety number to be sure it is the person you invited\./,
      );
      assert.equal(await eve.getByTestId("joined-notice").count(), 0);
      await notice.getByRole("button", { name: "Compare safety numbers" }).click();
      await adam.getByTestId("verification").waitFor();
      await adam.getByTestId("safety-number").waitFor();
      assert.equal(await notice.count(), 0, "the notice goes once acted on");
      // It is news of this page: a reload after the join does not repeat it.
      await reload(adam);
      await adam.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      assert.equal(await adam.getByTestId("joined-notice").count(), 0);
      assert.deepEqual(errors, []);
    });
  },
});

Deno.test({
  ...options,
  name:
    "a reload before Join forgets the invite, so a scanner's or a person's reload takes no seat",
  async fn() {
    await withScene(async (scene) => {
      const { server, errors } = scene;
      const adam = await scene.newPage();
      const invite = await createConversation(adam, server.base);
      const eve = await scene.newPage();
      await openInvite(eve, invite);
      await reload(eve);
      await eve.getByRole("heading", { name: "Open the invite link again" }).waitFor();
      assert.equal(await eve.getByRole("button", { name: "Join conversation" }).count(), 0);
      assert.equal(await participants(server.base, invite), 1);
      // A browser that keeps the conversation opens it even from a link of the older form.
      const [url, fragment] = invite.split("#");
      await adam.goto(`${url}#${fragment.slice(0, 42)}A`);
      await adam.locator("#invite-link").waitFor();
      assert.equal(await adam.evaluate(() => location.hash), "");
      // Opening the link again brings the invite back.
      await openInvite(eve, invite);
      await eve.getByRole("button", { name: "Join conversation" }).click();
      await eve.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      assert.equal(await participants(server.base, invite), 2);
      assert.deepEqual(errors, []);
    });
  },
});

Deno.test({
  ...options,
  name: "the notice to compare safety numbers goes once the other person deletes the conversation",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene);
      await adam.getByTestId("joined-notice").waitFor();
      await eve.getByRole("button", { name: "Delete conversation" }).click();
      await eve.getByRole("button", { name: "Delete", exact: true }).click();
      await adam.locator('[data-testid="closed"]').waitFor();
      assert.equal(await adam.getByTestId("joined-notice").count(), 0);
      assert.deepEqual(scene.errors, []);
    });
  },
});
