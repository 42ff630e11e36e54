/**
 * The chat's extra features in Arabic: an Arabic browser (Playwright's
 * `locale: "ar"`, so `Accept-Language: ar`) sees the invite panel, the page
 * that asks before joining, the safety-number panel and a received file
 * bubble in Arabic, the safety number in Western digits (compared across
 * devices whatever their language), and file sizes formatted for Arabic.
 * Real Chromium, a real server process. The steps find elements by ID and
 * test ID, never by English words, since every word on these pages is
 * Arabic.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { hydrated, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

/** The Arabic messages of one message file, as shipped. */
async function arabic(file: string): Promise<Record<string, string>> {
  const url = new URL(`../locales/ar/${file}.json`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

/** Arabic script, and none of the Latin letters of an English sentence. */
const ARABIC_ONLY = /^[^A-Za-z]*[\u0600-\u06FF][^A-Za-z]*$/;

/** Picks a file of `size` zero bytes named `name` with the paperclip, as a person would. */
async function attach(page: Page, name: string, size: number): Promise<void> {
  await page.evaluate(({ name, size }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(size)], name, { type: "application/pdf" }));
    const input = document.querySelector<HTMLInputElement>("#attach")!;
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }, { name, size });
}

Deno.test({
  ...options,
  name:
    "in an Arabic browser the invite, the join page, the safety number panel and a received file are in Arabic, the safety number in Western digits",
  async fn() {
    const invite = await arabic("invite");
    const verify = await arabic("verify");
    const files = await arabic("files");
    await withScene(async (scene) => {
      const adam = await scene.newPage({ locale: "ar" });
      const eve = await scene.newPage({ locale: "ar" });

      // The invite panel, in Arabic, on a right-to-left page.
      await adam.goto(`${scene.server.base}/`);
      await hydrated(adam);
      await adam.click("#create");
      await adam.waitForURL(/\/c\/[0-9A-Z]{26}$/);
      assert.equal(await adam.getAttribute("html", "lang"), "ar");
      assert.equal(await adam.getAttribute("html", "dir"), "rtl");
      assert.equal(await adam.locator("#invite-title").innerText(), invite.title);
      assert.equal((await adam.locator("#copy-invite").innerText()).trim(), invite.copy);
      assert.equal(await adam.getAttribute("#invite-link", "aria-label"), invite.link_label);
      const link = await adam.inputValue("#invite-link");

      // The page that asks before joining, in Arabic.
      await eve.goto(link);
      await eve.locator("#join").waitFor();
      assert.equal(await eve.locator("#notice-title").innerText(), invite.join_title);
      assert.equal((await eve.locator("#join").innerText()).trim(), invite.join);
      assert.match(await eve.locator(".join-invite").innerText(), new RegExp(invite.invited_by));
      await eve.click("#join");

      // The call buttons are enabled once the secure session is up.
      for (const page of [adam, eve]) {
        await page.locator('[data-testid="call-audio"]:not([disabled])').waitFor();
      }

      // The safety number panel: Arabic words, Western digits, the same on both sides.
      const groups: string[][] = [];
      for (const page of [adam, eve]) {
        await page.locator('[aria-controls="verification"]').click();
        const panel = page.getByTestId("verification");
        await panel.getByTestId("safety-number").locator("li").first().waitFor();
        assert.equal(await page.locator("#verification-title").innerText(), verify.title);
        assert.equal(
          await panel.getByTestId("safety-digits-note").innerText(),
          verify.western_digits,
        );
        assert.match(verify.western_digits, /0/, "the note shows the digits it speaks of");
        assert.equal(
          await panel.getByTestId("safety-number").getAttribute("aria-label"),
          verify.title,
        );
        assert.equal(
          await panel.getByTestId("safety-number").getAttribute("dir"),
          "ltr",
          "the groups read in the same order on every device",
        );
        const digits = await panel.getByTestId("safety-number").locator("li").allInnerTexts();
        assert.equal(digits.length, 12);
        for (const group of digits) assert.match(group, /^[0-9]{5}$/, "Western digits only");
        groups.push(digits);
        assert.match(await panel.locator(".verification-state").innerText(), ARABIC_ONLY);
      }
      assert.deepEqual(groups[0], groups[1]);

      // A received file: its size formatted for Arabic, its words in Arabic.
      const size = 2_500_000;
      await attach(adam, "report.pdf", size);
      const bubble = eve.locator('.message.in [data-testid="file"]', { hasText: "report.pdf" });
      await bubble.locator("a.file-download").waitFor({ timeout: 30_000 });
      assert.equal((await bubble.locator("a.file-download").innerText()).trim(), files.download);
      const shown = await bubble.locator(".file-size").innerText();
      const [inArabic, inEnglish] = await eve.evaluate((value) => {
        const options = {
          style: "unit",
          unit: "megabyte",
          unitDisplay: "short",
          maximumFractionDigits: 1,
        } as const;
        return [
          new Intl.NumberFormat("ar", options).format(value),
          new Intl.NumberFormat("en", options).format(value),
        ];
      }, size / 1_000_000);
      assert.equal(shown, inArabic);
      assert.notEqual(shown, inEnglish, "not the English unit");
      assert.match(shown, /[\u0600-\u06FF]/, "the unit is written in Arabic");
      assert.deepEqual(scene.errors, []);
    });
  },
});
