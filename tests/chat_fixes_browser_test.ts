/**
 * Fixes to the chat as people use it daily, in real Chromium against a real
 * server: where a conversation opens and the "new messages" button, refused
 * and read files, resetting and exporting in Settings, keyboard and
 * contrast, wording, and message status as ticks.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { seriousViolations } from "./fixtures/axe.ts";
import type { Page } from "playwright-core";
import { browserTestsEnabled, launchChromium } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  hasFocus,
  hydrated,
  joinedPair,
  send,
  showHeaderControls,
  withScene,
} from "./fixtures/pages.ts";
import { startServerProcess } from "./fixtures/server_process.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };
const SIZES = [
  ["desktop", { viewport: { width: 1280, height: 800 } }],
  ["phone", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
] as const;
/** Serious or critical axe findings on the page as it is, light and dark. */
async function axeFindings(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    found.push(...(await seriousViolations(page)).map((finding) => `${scheme}: ${finding}`));
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

/** Where a bubble is against the message list: above, in view or below. */
async function place(page: Page, text: string): Promise<"above" | "visible" | "below"> {
  const exact = page.locator(".message .text", { hasText: new RegExp(`^${text}$`) });
  return await exact.evaluate((element) => {
    const item = element.getBoundingClientRect();
    const list = document.querySelector(".messages")!.getBoundingClientRect();
    if (item.bottom <= list.top + 1) return "above";
    if (item.top >= list.bottom - 1) return "below";
    return "visible";
  });
}

/** Sets this browser's chat settings as the Settings page would. */
async function setChat(page: Page, chat: Record<string, unknown>) {
  await page.evaluate((chat) => {
    const current = JSON.parse(localStorage.getItem("anon:chat") ?? "{}");
    localStorage.setItem("anon:chat", JSON.stringify({ ...current, ...chat }));
  }, chat);
}

/** Stops this page from marking messages read, as when it is in the background. */
async function lookAway(page: Page) {
  await page.evaluate(() => {
    Object.defineProperty(document, "hasFocus", { value: () => false, configurable: true });
  });
}

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size} opening a conversation lands on the first unread message, with a new messages button to the newest`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, context);
        for (let i = 1; i <= 20; i++) await send(adam, `already read ${i}`);
        await bubble(eve, "already read 20").waitFor();
        await lookAway(eve);
        for (let i = 1; i <= 25; i++) await send(adam, `unread ${i}`);
        await bubble(eve, "unread 25").waitFor();
        await eve.waitForTimeout(200);
        await eve.reload();
        await hydrated(eve);
        await bubble(eve, "unread 25").waitFor();
        await eve.waitForTimeout(300);
        assert.equal(await place(eve, "unread 1"), "visible");
        assert.equal(await place(eve, "already read 1"), "above");
        assert.equal(await place(eve, "unread 25"), "below");
        const button = eve.getByRole("button", { name: /new messages: go to the newest/ });
        await button.waitFor();
        assert.equal(await button.textContent(), "25 new messages ↓");
        // Between the message list and the composer in Tab order, pressed with Enter.
        // (Tabbing through the list's own controls would scroll it to the end.)
        await eve.locator(".composer textarea, textarea").first().focus();
        await eve.keyboard.press("Shift+Tab");
        assert.equal(await button.evaluate((b) => b === document.activeElement), true);
        await eve.keyboard.press("Enter");
        await button.waitFor({ state: "detached" });
        await eve.waitForTimeout(100);
        assert.equal(await place(eve, "unread 25"), "visible");
        assert.equal(
          await eve.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight + 1),
          true,
          "the page itself does not scroll",
        );
        assert.deepEqual(scene.errors, []);
      });
    },
  });

  Deno.test({
    ...options,
    name:
      `on a ${size} messages that arrive while scrolled up show a new messages button with their count, and it scrolls to the newest`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, context);
        for (let i = 1; i <= 30; i++) await send(adam, `message ${i}`);
        await bubble(eve, "message 30").waitFor();
        assert.equal(await place(eve, "message 30"), "visible");
        // At the end, a new message keeps the list at the end, with no button.
        await send(adam, "message 31");
        await bubble(eve, "message 31").waitFor();
        await eve.waitForTimeout(100);
        assert.equal(await place(eve, "message 31"), "visible");
        assert.equal(await eve.getByTestId("new-messages").count(), 0);

        await eve.locator(".messages").evaluate((list) => list.scrollTop = 0);
        await eve.waitForTimeout(100);
        await send(adam, "while scrolled up 1");
        await send(adam, "while scrolled up 2");
        await bubble(eve, "while scrolled up 2").waitFor();
        const button = eve.getByRole("button", {
          name: "2 new messages: go to the newest message",
        });
        await button.waitFor();
        // The list stayed where the person was reading.
        assert.equal(await place(eve, "message 1"), "visible");
        assert.equal(await place(eve, "while scrolled up 2"), "below");
        await button.click();
        await button.waitFor({ state: "detached" });
        await eve.waitForTimeout(100);
        assert.equal(await place(eve, "while scrolled up 2"), "visible");
        assert.deepEqual(await axeFindings(eve), []);
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size}, a file the other person refused says Not accepted by the other person with the reason, and its progress bar stops`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, context);
        await setChat(eve, { maxFileMiB: 5 });
        await adam.setInputFiles("#attach", {
          name: "too-big.bin",
          mimeType: "application/octet-stream",
          buffer: Buffer.alloc(6 * 1024 * 1024, 7),
        });
        const sent = adam.locator('.message.out[data-kind="file"]', { hasText: "too-big.bin" });
        await sent.and(adam.locator('[data-status="refused"]')).waitFor({ timeout: 30_000 });
        assert.equal(
          await sent.getByTestId("file-refused").textContent(),
          "Not accepted by the other person: the file is larger than the limit they set",
        );
        await sent.locator("progress").waitFor({ state: "detached" });
        assert.ok(!(await sent.textContent() ?? "").includes("Delivered"));
        const received = eve.locator('.message.in[data-kind="file"]', { hasText: "too-big.bin" });
        assert.equal(
          await received.getByTestId("file-refused").textContent(),
          "Not accepted: larger than the file limit set in Settings.",
        );
        assert.deepEqual(await axeFindings(adam), []);
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size}, a received file that is the last message turns Read on the sender's side once seen`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, context);
        await setChat(adam, { readReceipts: true });
        await setChat(eve, { readReceipts: true });
        await send(adam, "a text first");
        await bubble(eve, "a text first").waitFor();
        await adam.setInputFiles("#attach", {
          name: "last.txt",
          mimeType: "text/plain",
          buffer: Buffer.from("the last message is a file"),
        });
        await eve.locator('.message.in[data-kind="file"][data-status="read"]', {
          hasText: "last.txt",
        }).waitFor();
        await adam.locator('.message.out[data-kind="file"][data-status="read"]', {
          hasText: "last.txt",
        }).waitFor();
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size}, Delete everything in Settings resets read receipts, typing, the file limit, alerts and theme`,
    async fn() {
      await withScene(async (scene) => {
        const page = await scene.newPage(context);
        await createConversation(page, scene.server.base);
        await page.goto(`${scene.server.base}/settings`);
        await hydrated(page);
        await page.check("#read-receipts");
        await page.uncheck("#typing-indicator");
        await page.selectOption("#file-limit", "100");
        await page.getByRole("radio", { name: "Dark" }).check();
        await page.check("#alert-sound");
        await page.evaluate(() => localStorage.setItem("anon:later-setting", "1"));
        await page.getByRole("button", { name: "Delete everything" }).click();
        await page.getByRole("button", { name: "Delete everything" }).last().click();
        await page.getByTestId("storage-empty").waitFor();
        // The page shows the defaults at once, and a reload reads the same.
        for (const reload of [false, true]) {
          if (reload) {
            await page.reload();
            await hydrated(page);
          }
          assert.equal(await page.isChecked("#read-receipts"), false);
          assert.equal(await page.isChecked("#typing-indicator"), true);
          assert.equal(await page.inputValue("#file-limit"), "25");
          assert.equal(
            await page.getByRole("radio", { name: "Same as this device" }).isChecked(),
            true,
          );
          assert.equal(await page.isChecked("#alert-sound"), false);
        }
        assert.deepEqual(
          await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("anon:"))),
          [],
        );
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name: `on a ${size}, export includes files as base64 and the storage list counts files`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, { ...context, acceptDownloads: true });
        await send(adam, "here is the report");
        await adam.setInputFiles("#attach", {
          name: "report.txt",
          mimeType: "text/plain",
          buffer: Buffer.from("quarterly numbers"),
        });
        await eve.locator(
          '.message.in[data-kind="file"][data-status="read"], ' +
            '.message.in[data-kind="file"][data-status="received"]',
        ).waitFor();
        await eve.goto(`${scene.server.base}/settings`);
        await hydrated(eve);
        const row = eve.getByTestId("storage-row");
        await row.waitFor();
        assert.match(await row.textContent() ?? "", /2 messages · 1 file · about \d/);
        await eve.getByRole("button", { name: /^Export/ }).click();
        const [download] = await Promise.all([
          eve.waitForEvent("download"),
          eve.getByRole("button", { name: "Download unencrypted file" }).click(),
        ]);
        const exported = JSON.parse(await Deno.readTextFile((await download.path())!));
        assert.equal(exported.version, 2);
        const file = exported.messages.find((m: { file?: unknown }) => m.file).file;
        assert.equal(file.name, "report.txt");
        assert.equal(atob(file.data), "quarterly numbers");
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size}, keyboard: the attach button shows focus, the safety number panel takes focus, Escape closes it from anywhere, and focus comes back`,
    async fn() {
      await withScene(async (scene) => {
        const { adam } = await joinedPair(scene, context);
        await adam.locator("#message").focus();
        await adam.keyboard.press("Tab");
        assert.equal(await adam.evaluate(() => document.activeElement?.id), "attach");
        assert.notEqual(
          await adam.locator(".attach").evaluate((l) => getComputedStyle(l).outlineStyle),
          "none",
        );

        await showHeaderControls(adam);
        const verify = adam.getByRole("button", { name: "Verify" });
        await verify.focus();
        await adam.keyboard.press("Enter");
        const title = adam.getByRole("heading", { name: "Safety number" });
        await title.waitFor();
        await hasFocus(title);
        assert.deepEqual(await axeFindings(adam), []);
        // Tab from Verify goes through the panel before it reaches Delete.
        await verify.focus();
        const stops: string[] = [];
        for (let i = 0; i < 20 && stops.at(-1) !== "delete"; i++) {
          await adam.keyboard.press("Tab");
          stops.push(
            await adam.evaluate(() => {
              const active = document.activeElement;
              if (active?.closest("#verification")) return "panel";
              return active?.getAttribute("aria-label") === "Delete conversation"
                ? "delete"
                : active?.tagName.toLowerCase() ?? "";
            }),
          );
        }
        assert.equal(stops[0], "panel", `the first Tab stop after Verify: ${stops}`);
        assert.equal(stops.at(-1), "delete", `Delete is reached: ${stops}`);
        assert.ok(
          stops.lastIndexOf("panel") < stops.indexOf("delete"),
          `the panel before Delete: ${stops}`,
        );
        assert.equal(
          await adam.getByTestId("verification").evaluate((panel) =>
            Boolean(
              panel.compareDocumentPosition(
                document.querySelector('[aria-label="Delete conversation"]')!,
              ) & Node.DOCUMENT_POSITION_FOLLOWING,
            )
          ),
          true,
          "the panel comes before Delete in the page",
        );
        await title.focus();
        await adam.keyboard.press("Escape");
        await title.waitFor({ state: "detached" });
        await hasFocus(verify);

        // Escape closes it with focus anywhere, say in the message field.
        await verify.click();
        await title.waitFor();
        await adam.locator("#message").focus();
        await adam.keyboard.press("Escape");
        await title.waitFor({ state: "detached" });
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size}, the disappearing-messages select sends one change for Enter, not one per arrow key, and shows the agreed value meanwhile`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, context);
        await showHeaderControls(adam);
        const select = adam.getByRole("combobox", { name: "Disappearing messages" });
        await select.focus();
        await adam.keyboard.press("ArrowDown");
        await adam.keyboard.press("ArrowDown");
        assert.equal(await select.inputValue(), "3600");
        assert.equal(
          await adam.getByTestId("timer-pending").textContent(),
          "Enter sets it · now Off",
        );
        assert.deepEqual(await axeFindings(adam), []);
        await select.focus();
        await adam.waitForTimeout(500);
        assert.equal(await eve.locator('.notice-line[data-kind="timer"]').count(), 0);
        await adam.keyboard.press("Enter");
        await eve.getByText("They set disappearing messages to 1 hour").waitFor();
        await adam.waitForTimeout(500);
        assert.equal(await eve.locator('.notice-line[data-kind="timer"]').count(), 1);
        assert.equal(await adam.getByTestId("timer-pending").count(), 0);
        // A pick with the mouse is set at once.
        await select.selectOption("300");
        await eve.getByText("They set disappearing messages to 5 minutes").waitFor();
        assert.equal(await eve.locator('.notice-line[data-kind="timer"]').count(), 2);
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

Deno.test({
  ...options,
  name: "a rate_limited create reads Too many new conversations from this network",
  async fn() {
    await using server = await startServerProcess({ CREATE_PER_MINUTE: "1" });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await createConversation(page, server.base);
      await page.goto(`${server.base}/`);
      await hydrated(page);
      await page.click("#create");
      const error = page.getByRole("alert");
      await error.waitFor();
      assert.equal(
        await error.textContent(),
        "Too many new conversations from this network; try again in a minute",
      );
    } finally {
      await browser.close();
    }
  },
});

Deno.test({
  ...options,
  name: "a fresh 1-day conversation reads Ends in 1 day, not 23 hours",
  async fn() {
    await withScene(async (scene) => {
      const page = await scene.newPage();
      await page.goto(`${scene.server.base}/`);
      await hydrated(page);
      await page.selectOption("#lifetime", "86400");
      await page.click("#create");
      await page.waitForURL(/\/c\/[0-9A-Z]{26}$/);
      await page.locator(".expiry").waitFor();
      assert.equal(await page.locator(".expiry").textContent(), "Ends in 1 day");
      assert.deepEqual(scene.errors, []);
    });
  },
});

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name: `on a ${size} the Enter sends hint shows only where there is a keyboard`,
    async fn() {
      await withScene(async (scene) => {
        const page = await scene.newPage(context);
        await createConversation(page, scene.server.base);
        const keys = page.getByText("Enter sends · Shift+Enter for a new line");
        assert.equal(await keys.isVisible(), size === "desktop");
        assert.equal(
          await page.getByText("Attach or paste files with the clip button").isVisible(),
          size === "phone",
        );
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

Deno.test({
  ...options,
  name: "a file error goes away when the next message is sent",
  async fn() {
    await withScene(async (scene) => {
      const { adam } = await joinedPair(scene);
      await setChat(adam, { maxFileMiB: 5 });
      await adam.setInputFiles("#attach", {
        name: "huge.bin",
        mimeType: "application/octet-stream",
        buffer: Buffer.alloc(6 * 1024 * 1024),
      });
      const error = adam.locator(".file-error");
      await error.waitFor();
      await send(adam, "never mind");
      await bubble(adam, "never mind").waitFor();
      await error.waitFor({ state: "detached" });
      assert.deepEqual(scene.errors, []);
    });
  },
});

for (const [size, context] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size} message status shows as ticks with words for screen readers, and Waiting to send is clear at full contrast`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, context);
        await setChat(adam, { readReceipts: true });
        await setChat(eve, { readReceipts: true });
        await send(adam, "tick me");
        const status = adam.locator(".message.out", { hasText: "tick me" }).locator(".status");
        await adam.locator(".message.out[data-status=read]", { hasText: "tick me" }).waitFor();
        assert.equal(await status.locator("svg").count(), 1);
        assert.equal(await status.locator(".visually-hidden").textContent(), "Read");
        // Visually just the ticks: compact.
        const box = await status.boundingBox();
        assert.ok(box !== null && box.width < 30, `ticks are ${box?.width}px wide`);
        await adam.setInputFiles("#attach", {
          name: "size.txt",
          mimeType: "text/plain",
          buffer: Buffer.from("size line"),
        });
        await adam.locator(".message.out[data-kind=file]", { hasText: "size.txt" }).waitFor();

        // The other person goes away: a new message waits, said in words.
        await eve.close();
        await adam.locator('[data-testid="peer-state"][data-state="offline"]').waitFor();
        await send(adam, "wait for me");
        const pending = adam.locator(".message.out[data-status=pending]", {
          hasText: "wait for me",
        });
        await pending.waitFor();
        assert.equal(await pending.locator(".status").textContent(), "Waiting to send");
        assert.equal(
          await pending.locator(".bubble").evaluate((b) => getComputedStyle(b).opacity),
          "1",
        );
        assert.deepEqual(await axeFindings(adam), []);
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

Deno.test({
  ...options,
  name:
    "on a phone the chat header keeps to the person, the calls and the end, and More shows the rest next in Tab order; on a desktop every control shows alike and More does not",
  async fn() {
    await withScene(async (scene) => {
      for (const [size, context] of SIZES) {
        const { adam } = await joinedPair(scene, context);
        const more = adam.locator(".chat-header .more-toggle");
        const always = [
          adam.getByTestId("peer-state"),
          adam.getByTestId("call-audio"),
          adam.getByTestId("call-video"),
          adam.locator(".chat-header .expiry"),
        ];
        const rename = adam.getByRole("button", {
          name: "Rename conversation",
          includeHidden: true,
        });
        const search = adam.getByRole("button", {
          name: "Search",
          exact: true,
          includeHidden: true,
        });
        const behindMore = [
          rename,
          search,
          adam.getByRole("button", { name: "Verify", includeHidden: true }),
          adam.getByRole("combobox", { name: "Disappearing messages", includeHidden: true }),
          adam.getByRole("button", { name: "Delete conversation", includeHidden: true }),
        ];
        const visible = (all: typeof always) => Promise.all(all.map((l) => l.isVisible()));
        const height = () =>
          adam.locator(".chat-header").evaluate((h) => h.getBoundingClientRect().height);
        assert.deepEqual(await visible(always), [true, true, true, true], size);
        if (size === "desktop") {
          assert.equal(await more.isVisible(), false);
          assert.deepEqual(await visible(behindMore), [true, true, true, true, true]);
          // Rename looks like its neighbours.
          const fontSize = (l: typeof rename) => l.evaluate((b) => getComputedStyle(b).fontSize);
          assert.equal(await fontSize(rename), await fontSize(search));
          continue;
        }
        assert.equal(await more.getAttribute("aria-expanded"), "false");
        assert.deepEqual(await visible(behindMore), [false, false, false, false, false]);
        const collapsed = await height();
        assert.ok(collapsed <= 844 / 5, `the header is ${collapsed}px of 844`);
        assert.deepEqual(await axeFindings(adam), []);

        await more.focus();
        await adam.keyboard.press("Enter");
        assert.equal(await more.getAttribute("aria-expanded"), "true");
        assert.deepEqual(await visible(behindMore), [true, true, true, true, true]);
        assert.ok(await height() > collapsed);
        await adam.keyboard.press("Tab");
        await hasFocus(rename);
        assert.deepEqual(await axeFindings(adam), []);

        // Search gets a field across the screen; the safety number panel stays inside it.
        await search.click();
        const field = adam.locator("#history-search-field");
        await field.waitFor();
        const fieldWidth = (await field.boundingBox())!.width;
        assert.ok(fieldWidth >= 390 * 0.6, `the search field is ${fieldWidth}px wide`);
        await adam.keyboard.press("Escape");
        await field.waitFor({ state: "detached" });
        await adam.getByRole("button", { name: "Verify" }).click();
        const panel = adam.locator("#verification");
        await panel.waitFor();
        const overflow = await panel.evaluate((el) =>
          [el, ...el.querySelectorAll("*")].filter((child) =>
            child.getBoundingClientRect().right > document.documentElement.clientWidth + 1
          ).length
        );
        assert.equal(overflow, 0, "nothing of the panel is outside the screen");
        await adam.getByRole("button", { name: "Verify" }).click();
        await panel.waitFor({ state: "detached" });

        await more.click();
        assert.deepEqual(await visible(behindMore), [false, false, false, false, false]);
        assert.equal(await height(), collapsed);
      }
      assert.deepEqual(scene.errors, []);
    });
  },
});
