/**
 * The product as people use it: two isolated browser contexts in real
 * Chromium talking through a real server process.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  browserTestsEnabled,
  launchChromium,
  warnIfBrowserTestsSkipped,
} from "./fixtures/browser.ts";
import { startServerProcess } from "./fixtures/server_process.ts";
import {
  acceptInvite,
  bubble,
  createConversation,
  openInvite,
  send,
  watchErrors,
} from "./fixtures/pages.ts";
import { snapshotDir } from "./fixtures/server.ts";
import { startHostileRelay } from "./fixtures/hostile_relay.ts";
import { impostorCreatorBundle } from "./fixtures/peer.ts";
import { decodeBase64Url } from "../lib/crypto/encoding.ts";
import { fetchConversation } from "../lib/client/admission.ts";

const enabled = browserTestsEnabled();
warnIfBrowserTestsSkipped();

async function newPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  watchErrors(page, errors);
  return page;
}

async function withBrowser(
  fn: (browser: Browser, server: Awaited<ReturnType<typeof startServerProcess>>) => Promise<void>,
) {
  await using server = await startServerProcess();
  await using browser = await launchChromium();
  await fn(browser, server);
}

Deno.test({
  name: "two people talk in Chromium: invite, both ways, reload, offline delivery, delete",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withBrowser(async (browser, server) => {
      const errors: string[] = [];
      const adamContext = await browser.newContext();
      const eveContext = await browser.newContext();
      const adam = await newPage(adamContext, errors);
      let eve = await newPage(eveContext, errors);
      const marker = `marker-${crypto.randomUUID()}`;

      const invite = await createConversation(adam, server.base);
      const conversationUrl = invite.split("#")[0];
      const secret = invite.split("#")[1];
      assert.match(secret, /^[A-Za-z0-9_-]{64}$/);
      await adam.getByText("Waiting for the other person to join").waitFor();

      await openInvite(eve, invite);
      // The secret is read and dropped from the address bar at once.
      await eve.waitForFunction(() => location.hash === "");
      assert.equal(eve.url(), conversationUrl);
      await eve.getByRole("button", { name: "Join conversation" }).click();
      await adam.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      await eve.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      assert.equal(await adam.locator("#invite-link").count(), 0, "invite hidden once joined");

      // Both ways, with Enter sending and Shift+Enter adding a line.
      await send(adam, `hello Eve ${marker}`);
      await bubble(eve, `hello Eve ${marker}`).waitFor();
      await eve.fill("#message", "first line");
      await eve.press("#message", "Shift+Enter");
      await eve.type("#message", "second line");
      await eve.press("#message", "Enter");
      await bubble(adam, "second line").waitFor();
      assert.equal(
        await bubble(adam, "second line").textContent(),
        "first line\nsecond line",
      );
      await adam.locator('.message.out[data-status="delivered"]').waitFor();

      // Text is shown as text, never as HTML.
      await send(adam, '<img src=x id="injected"><b>bold</b>');
      await bubble(eve, "<b>bold</b>").waitFor();
      assert.equal(await eve.locator("#injected").count(), 0);

      // History survives a reload on both sides.
      await adam.reload();
      await eve.reload();
      await bubble(adam, `hello Eve ${marker}`).waitFor();
      await bubble(eve, "second line").waitFor();
      assert.equal(await eve.locator(".message").count(), 3);

      // Eve closes the page; Adam writes; it waits, then arrives once.
      await adam.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      await eve.close();
      await adam.locator('[data-testid="peer-state"][data-state="offline"]').waitFor();
      await send(adam, "while you were away");
      await adam.locator('.message.out[data-status="pending"]').waitFor();
      eve = await newPage(eveContext, errors);
      await eve.goto(conversationUrl);
      await bubble(eve, "while you were away").waitFor();
      await adam.locator('.message.out[data-status="pending"]').waitFor({ state: "detached" });
      assert.equal(await bubble(eve, "while you were away").count(), 1);
      assert.equal(await eve.locator(".message").count(), 4);

      // Nothing of the talk reached the server's disk or output.
      const files = JSON.stringify(await snapshotDir(server.dataDir));
      for (const [name, haystack] of [["data", files], ["output", server.output()]]) {
        assert.ok(!haystack.includes(marker), `no message text in ${name}`);
        assert.ok(!haystack.includes(secret), `no invite secret in ${name}`);
      }

      // Adam burns the conversation.
      await adam.getByRole("button", { name: "Delete conversation" }).click();
      await adam.getByRole("button", { name: "Delete", exact: true }).click();
      await adam.getByText("It is gone from the server and from this browser.").waitFor();
      await eve.locator('[data-testid="closed"]').waitFor();
      assert.deepEqual(await snapshotDir(server.dataDir), {});
      await adam.goto(`${server.base}/`);
      await adam.locator("#create").waitFor();
      assert.equal(await adam.locator(".conversation-list li").count(), 0);

      assert.ok(!server.output().includes(marker));
      assert.deepEqual(errors, []);
    });
  },
});

Deno.test({
  name: "clear pages for a damaged link, an unknown conversation and a full one",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withBrowser(async (browser, server) => {
      const errors: string[] = [];
      const adam = await newPage(await browser.newContext(), errors);
      const eve = await newPage(await browser.newContext(), errors);
      const mallory = await newPage(await browser.newContext(), errors);
      const invite = await createConversation(adam, server.base);
      const [url, secret] = invite.split("#");

      await mallory.goto(`${url}#${secret.slice(0, 20)}`);
      await mallory.getByRole("heading", { name: "This invite link is damaged" }).waitFor();
      // A well-formed invite of another conversation does not fit either.
      await mallory.goto(`${url}#${"A".repeat(64)}`);
      await mallory.getByRole("heading", { name: "This invite link is damaged" }).waitFor();
      // A link of the older form (the secret alone) is named as such.
      await mallory.goto(`${url}#${secret.slice(0, 42)}A`);
      await mallory.getByRole("heading", { name: "This invite link is from an older version" })
        .waitFor();

      await mallory.goto(`${server.base}/c/01JD3Q8Z5V4T6N2M8K0P9R7S1A#${secret}`);
      await mallory.getByRole("heading", { name: "Conversation not found" }).waitFor();
      const response = await mallory.goto(`${server.base}/c/not-an-id`);
      assert.equal(response?.status(), 404);

      await acceptInvite(eve, invite);
      await eve.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
      await mallory.goto(invite);
      await mallory.getByRole("heading", { name: "This conversation is full" }).waitFor();

      await mallory.goto(url);
      await mallory.getByRole("heading", { name: "This browser is not part of this conversation" })
        .waitFor();
      // The unknown conversation and the bad path answer 404 on purpose.
      assert.deepEqual(errors.filter((e) => !e.includes("status of 404")), []);
    });
  },
});

Deno.test({
  name: "a second tab of one conversation stays idle until it takes over",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withBrowser(async (browser, server) => {
      const errors: string[] = [];
      const context = await browser.newContext();
      const first = await newPage(context, errors);
      await createConversation(first, server.base);
      const second = await newPage(context, errors);
      await second.goto(first.url());
      await second.getByRole("heading", { name: "Open in another tab" }).waitFor();
      await second.getByRole("button", { name: "Use it here instead" }).click();
      await second.locator("#invite-link").waitFor();
      await first.getByRole("heading", { name: "Moved to another tab" }).waitFor();
      assert.deepEqual(errors, []);
    });
  },
});

Deno.test({
  name: "creator keys swapped by a relay that knows the secret are refused before joining",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withBrowser(async (browser, server) => {
      await using relay = await startHostileRelay(server.base);
      const errors: string[] = [];
      const adam = await newPage(await browser.newContext(), errors);
      const eve = await newPage(await browser.newContext(), errors);
      const invite = await createConversation(adam, relay.base);
      const [url, fragment] = invite.split("#");
      const id = url.split("/").at(-1)!;
      // Validly signed with the real secret: only the link's fingerprint catches it.
      const impostor = await impostorCreatorBundle(decodeBase64Url(fragment).slice(0, 32));
      relay.httpAttack = (path, body) => {
        if (!/^\/api\/conversations\/[0-9A-Z]{26}$/.test(path)) return body;
        const record = (body as { conversation: { participants: { bundle: unknown }[] } })
          .conversation;
        record.participants[0].bundle = impostor;
        return body;
      };
      await eve.goto(invite);
      await eve.getByRole("heading", {
        name: "These are not the keys of the person who invited you",
      }).waitFor();
      assert.match(await eve.textContent("main") ?? "", /Nothing was sent/);
      assert.equal(await eve.getByRole("button", { name: "Join conversation" }).count(), 0);
      const record = await fetchConversation(server.base, id);
      assert.equal(record!.participants.length, 1, "nobody joined");
      assert.deepEqual(errors, []);
    });
  },
});

Deno.test({
  name: "both people see the same safety number, and the verified mark survives a reload",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withBrowser(async (browser, server) => {
      const errors: string[] = [];
      const adam = await newPage(await browser.newContext(), errors);
      const eve = await newPage(await browser.newContext(), errors);
      const invite = await createConversation(adam, server.base);
      await acceptInvite(eve, invite);
      const numbers: string[] = [];
      for (const page of [adam, eve]) {
        await page.getByRole("button", { name: "Verify" }).click();
        const digits = page.locator('[data-testid="safety-number"]');
        await digits.waitFor();
        const groups = await digits.locator("li").allTextContents();
        assert.equal(groups.length, 12);
        numbers.push(groups.join(""));
      }
      assert.match(numbers[0], /^\d{60}$/);
      assert.equal(numbers[0], numbers[1]);
      await adam.getByRole("button", { name: "Mark as verified" }).click();
      await adam.getByText("You marked this conversation as verified.").waitFor();
      await adam.reload();
      await adam.getByRole("button", { name: "✓ Verified" }).waitFor();
      assert.deepEqual(errors, []);
    });
  },
});

Deno.test({
  name: "outside a secure context the pages say why nothing can work",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startServerProcess();
    // A name that is not localhost makes plain HTTP an insecure context.
    await using browser = await launchChromium([
      "--host-resolver-rules=MAP insecure.test 127.0.0.1",
    ]);
    const page = await (await browser.newContext()).newPage();
    const port = new URL(server.base).port;
    await page.goto(
      `http://insecure.test:${port}/c/01JD3Q8Z5V4T6N2M8K0P9R7S1A#${"A".repeat(43)}`,
    );
    await page.getByRole("heading", { name: "This browser cannot open the conversation" })
      .waitFor();
    assert.match(await page.textContent("main") ?? "", /secure connection/);
    assert.equal(await page.evaluate(() => location.hash), "", "the secret left the address bar");
    await page.goto(`http://insecure.test:${port}/`);
    await page.getByRole("heading", { name: "This browser cannot be used here" }).waitFor();
  },
});

Deno.test({
  name: "a conversation kept by the older version shows a clear page, not a broken chat",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withBrowser(async (browser, server) => {
      const errors: string[] = [];
      const adam = await newPage(await browser.newContext(), errors);
      await createConversation(adam, server.base);
      // Make the stored record look like one an older version wrote.
      await adam.evaluate(() =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open("the-anonymous");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction("conversations", "readwrite")
              .objectStore("conversations");
            const all = store.getAll();
            all.onsuccess = () => {
              for (const record of all.result) {
                delete record.protocol;
                store.put(record);
              }
              store.transaction.oncomplete = () => resolve();
            };
          };
        })
      );
      await adam.reload();
      await adam.getByRole("heading", { name: "Made with an older version" }).waitFor();
      await adam.getByRole("button", { name: "Remove it from this browser" }).click();
      await adam.waitForURL(`${server.base}/`);
      assert.deepEqual(errors, []);
    });
  },
});
