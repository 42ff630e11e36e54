/**
 * The UI around the conversation in real Chromium against a real server:
 * inviting by QR code and share sheet, unread counts while away, settings
 * (theme, alerts, storage, export, delete), phone width and keyboard use.
 */
import assert from "node:assert/strict";
import jsqrModule from "jsqr";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  hydrated,
  join,
  openInvite,
  reload,
  send,
  withScene,
} from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
// jsqr is CommonJS: its types name a default export that the runtime gives
// as the module itself.
type DecodeQr = typeof jsqrModule.default;
const jsQR: DecodeQr = (jsqrModule as unknown as { default?: DecodeQr }).default ??
  jsqrModule as unknown as DecodeQr;

/** Makes the page report itself hidden (or visible again), as a background tab does. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, "visibilityState", {
      value: hidden ? "hidden" : "visible",
      configurable: true,
    });
    Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

/** Decodes the QR code shown by `selector` from a screenshot of it. */
async function readQrCode(page: Page, selector: string): Promise<string | null> {
  const png = await page.locator(selector).screenshot();
  const image = await page.evaluate(async (base64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${base64}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(img, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(data), width, height };
  }, png.toString("base64"));
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

Deno.test({
  name: "the UI in Chromium: invite QR and sharing, unread counts, settings, phone and keyboard",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withScene(async (scene) => {
      const { server, errors } = scene;
      const adam = await scene.newPage({ deviceScaleFactor: 2 });
      const eve = await scene.newPage();
      let invite = "";

      await t.step("the invite QR code decodes to the invite link", async () => {
        invite = await createConversation(adam, server.base);
        const qr = adam.getByRole("img", { name: "QR code of the invite link" });
        await qr.waitFor();
        assert.equal(await readQrCode(adam, '[data-testid="invite-qr"]'), invite);
      });

      await t.step("the share button shows only where the browser has a share sheet", async () => {
        const hasShare = await adam.evaluate(() => typeof navigator.share === "function");
        assert.equal(await adam.locator("#share-invite").count(), hasShare ? 1 : 0);
        // Chromium on Linux has no share sheet; give this page one that records.
        const sharer = await scene.newPage();
        await sharer.addInitScript(() => {
          const shared: ShareData[] = [];
          Object.assign(globalThis, { __shared: shared });
          Object.defineProperty(Navigator.prototype, "share", {
            value: (data: ShareData) => {
              shared.push(data);
              return Promise.resolve();
            },
            configurable: true,
          });
        });
        const link = await createConversation(sharer, server.base);
        await sharer.getByRole("button", { name: "Share…" }).click();
        const shared = await sharer.evaluate(() =>
          (globalThis as unknown as { __shared: ShareData[] }).__shared
        );
        assert.deepEqual(shared.map((s) => s.url), [link]);
      });

      await t.step("the copy button copies the invite link", async () => {
        await adam.context().grantPermissions(["clipboard-read", "clipboard-write"]);
        await adam.getByRole("button", { name: "Copy link" }).click();
        await adam.getByRole("button", { name: "Copied" }).waitFor();
        assert.equal(await adam.evaluate(() => navigator.clipboard.readText()), invite);
      });

      await t.step(
        "messages that arrive while the page is hidden count in title and icon",
        async () => {
          await join(adam, eve, invite);
          assert.equal(await adam.title(), "Conversation · The Anonymous");
          const icon = adam.locator('link[rel="icon"]');
          const originalIcon = await icon.getAttribute("href");
          await send(eve, "seen at once");
          await bubble(adam, "seen at once").waitFor();
          assert.equal(
            await adam.title(),
            "Conversation · The Anonymous",
            "no count while looking",
          );

          await setHidden(adam, true);
          await send(eve, "while away 1");
          await send(eve, "while away 2");
          await adam.waitForFunction(() => document.title === "(2) Conversation · The Anonymous");
          await adam.waitForFunction(() =>
            document.querySelector('link[rel="icon"]')!.getAttribute("href")!.startsWith(
              "data:image/png",
            )
          );
          await setHidden(adam, false);
          await adam.waitForFunction(() => document.title === "Conversation · The Anonymous");
          assert.equal(await icon.getAttribute("href"), originalIcon);
        },
      );

      await t.step(
        "the theme applies at once and before the first paint after a reload",
        async () => {
          await adam.goto(`${server.base}/settings`);
          await hydrated(adam);
          await adam.getByRole("radio", { name: "Dark" }).check();
          assert.equal(await adam.getAttribute("html", "data-theme"), "dark");
          // Only the server's HTML and theme.js run before this check: no islands yet.
          await adam.route("**/_islands/**", (route) => route.abort());
          await adam.reload();
          assert.equal(await adam.getAttribute("html", "data-theme"), "dark");
          const background = await adam.evaluate(() =>
            getComputedStyle(document.body).backgroundColor
          );
          assert.equal(background, "rgb(15, 17, 21)");
          await adam.unroute("**/_islands/**");
          await reload(adam);
          await adam.getByRole("radio", { name: "Same as this device" }).check();
          assert.equal(await adam.getAttribute("html", "data-theme"), null);
        },
      );

      await t.step(
        "alert switches are kept across a reload, desktop ones once permitted",
        async () => {
          await adam.context().grantPermissions(["notifications"]);
          await reload(adam);
          await adam.getByRole("checkbox", { name: "A sound" }).check();
          await adam.getByRole("checkbox", { name: "A count on the tab's icon" }).uncheck();
          await adam.getByRole("checkbox", { name: "Desktop notifications" }).check();
          await reload(adam);
          assert.equal(await adam.getByRole("checkbox", { name: "A sound" }).isChecked(), true);
          assert.equal(
            await adam.getByRole("checkbox", { name: "A count on the tab's icon" }).isChecked(),
            false,
          );
          assert.equal(
            await adam.getByRole("checkbox", { name: "Desktop notifications" }).isChecked(),
            true,
          );
        },
      );

      await t.step("storage lists the conversation, exports it after a warning", async () => {
        const row = adam.locator('[data-testid="storage-row"]');
        await row.waitFor();
        assert.equal(await row.count(), 1);
        assert.match(await row.textContent() ?? "", /\d+ messages? · about \d/);
        await adam.locator('[data-testid="storage-total"]', { hasText: "This site uses" })
          .waitFor();

        await adam.getByRole("button", { name: /^Export/ }).click();
        await adam.getByText("not encrypted").waitFor();
        const [download] = await Promise.all([
          adam.waitForEvent("download"),
          adam.getByRole("button", { name: "Download unencrypted file" }).click(),
        ]);
        assert.match(
          download.suggestedFilename(),
          /^conversation-[0-9A-Z]{26}-\d{4}-\d\d-\d\d\.json$/,
        );
        const text = await Deno.readTextFile((await download.path())!);
        const exported = JSON.parse(text);
        assert.deepEqual(
          exported.messages.map((m: { text: string }) => m.text),
          ["seen at once", "while away 1", "while away 2"],
        );
        assert.ok(!text.includes(invite.split("#")[1]), "the invite secret is not exported");
      });

      await t.step(
        "Escape closes a confirmation and gives focus back; delete removes one",
        async () => {
          const opener = adam.getByRole("button", { name: /^Delete Started here/ });
          await opener.click();
          const cancel = adam.getByRole("button", { name: "Cancel" });
          assert.equal(await cancel.evaluate((el) => el === document.activeElement), true);
          await adam.keyboard.press("Escape");
          await opener.waitFor();
          assert.equal(await opener.evaluate((el) => el === document.activeElement), true);

          await opener.click();
          await adam.getByRole("button", { name: "Delete", exact: true }).click();
          await adam.locator('[data-testid="storage-empty"]').waitFor();
          await adam.goto(`${server.base}/`);
          await adam.locator("#create").waitFor();
          assert.equal(await adam.locator(".conversation-list li").count(), 0);
        },
      );

      await t.step("delete everything clears conversations and settings", async () => {
        await createConversation(adam, server.base);
        await adam.goto(`${server.base}/settings`);
        await hydrated(adam);
        await adam.locator('[data-testid="storage-row"]').waitFor();
        await adam.getByRole("button", { name: "Delete everything" }).click();
        await adam.getByRole("button", { name: "Delete everything" }).click();
        await adam.locator('[data-testid="storage-empty"]').waitFor();
        assert.equal(await adam.evaluate(() => localStorage.getItem("anon:alerts")), null);
      });

      await t.step(
        "every page fits a 360-pixel-wide phone without sideways scrolling",
        async () => {
          const phone = await scene.newPage({ viewport: { width: 360, height: 740 } });
          const link = await createConversation(phone, server.base);
          for (const path of ["/", new URL(link).pathname, "/settings", "/nowhere"]) {
            await phone.goto(server.base + path);
            await phone.locator("main").waitFor();
            await phone.waitForLoadState("networkidle");
            const width = await phone.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= 360, `${path} is ${width}px wide`);
          }
          const joiner = await scene.newPage({ viewport: { width: 360, height: 740 } });
          await openInvite(joiner, link);
          const width = await joiner.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 360, `the invite page is ${width}px wide`);
        },
      );

      await t.step(
        "the keyboard reaches the skip link first, and it leads into the page",
        async () => {
          const page = await scene.newPage();
          await page.goto(`${server.base}/`);
          await page.locator("#create").waitFor();
          await page.keyboard.press("Tab");
          assert.equal(
            await page.evaluate(() => document.activeElement?.textContent),
            "Skip to content",
          );
          await page.keyboard.press("Enter");
          assert.equal(await page.evaluate(() => location.hash), "#main");
          await page.keyboard.press("Tab");
          assert.equal(await page.evaluate(() => document.activeElement?.id), "lifetime");
        },
      );

      assert.deepEqual(errors.filter((e) => !e.includes("status of 404")), []);
    });
  },
});
