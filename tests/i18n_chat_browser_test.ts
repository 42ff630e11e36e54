/**
 * The chat in each person's own language, in real Chromium against a real
 * server: a German browser and a Japanese one talk in one conversation, and
 * each sees the conversation screen in its language (words, plurals, the
 * page's `lang`), while the safety number stays Western digits on both, so
 * it can be compared across the two screens.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, hydrated, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };

/** The safety number's digit groups as shown, after opening the panel. */
async function safetyGroups(page: Page): Promise<string[]> {
  await page.locator('button[aria-controls="verification"]').click();
  const groups = page.locator('[data-testid="safety-number"] li');
  await groups.first().waitFor();
  return await groups.allTextContents();
}

/** The texts of the disappearing-messages choices. */
async function timerChoices(page: Page): Promise<string[]> {
  return await page.locator("select.timer-select option").allTextContents();
}

Deno.test({
  ...options,
  name:
    "a German and a Japanese browser each see the chat in their own language, with the safety number in Western digits on both",
  async fn() {
    await withScene(async (scene) => {
      const de = await scene.newPage({ locale: "de-DE" });
      const ja = await scene.newPage({ locale: "ja-JP" });

      // The German side creates a conversation that lasts a week.
      await de.goto(`${scene.server.base}/`);
      await hydrated(de);
      await de.selectOption("#lifetime", "604800");
      await de.click("#create");
      await de.waitForURL(/\/c\/[0-9A-Z]{26}$/);
      const invite = await de.inputValue("#invite-link");
      assert.equal(await de.getAttribute("html", "lang"), "de");
      assert.equal(await de.getAttribute("html", "dir"), "ltr");
      await de.locator(".expiry", { hasText: "Endet in 7 Tagen" }).waitFor();
      // Once its socket is up ("Verbindung zum Server wird hergestellt …" before).
      await de.locator('[data-testid="peer-state"]', {
        hasText: /^Warten, bis die andere Person beitritt$/,
      }).waitFor();

      // The Japanese side joins by the link (the join button, whatever its words).
      await ja.goto(invite);
      const join = ja.locator("main button.primary");
      await join.waitFor();
      assert.equal(await ja.getAttribute("html", "lang"), "ja");
      await join.click();

      // Both see the other online once the secure session is up, each in its language.
      await de.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
      await ja.locator('[data-testid="peer-state"]', { hasText: /^オンライン$/ }).waitFor();
      await ja.locator(".expiry", { hasText: "7日後に終了" }).waitFor();

      // An unnamed conversation's title too.
      assert.equal(await de.getByTestId("chat-title").innerText(), "Unterhaltung");
      assert.equal(await ja.getByTestId("chat-title").innerText(), "会話");

      // The composer speaks each language.
      assert.equal(await de.getAttribute("#message", "placeholder"), "Nachricht schreiben");
      assert.equal(await ja.getAttribute("#message", "placeholder"), "メッセージを入力");
      assert.equal(await de.locator("button.send").textContent(), "Senden");
      assert.equal(await ja.locator("button.send").textContent(), "送信");

      // A message goes across; the list and its labels are in the reader's language.
      await send(de, "Hallo aus Berlin");
      await bubble(ja, "Hallo aus Berlin").waitFor();
      assert.equal(await ja.locator('[role="log"]').getAttribute("aria-label"), "メッセージ");
      assert.equal(
        await ja.locator(".message.in .visually-hidden").first().textContent(),
        "相手のメッセージ：",
      );
      await send(ja, "こんにちは");
      await bubble(de, "こんにちは").waitFor();
      assert.equal(await de.locator('[role="log"]').getAttribute("aria-label"), "Nachrichten");
      // The German side's own message shows its status in German once delivered or read.
      await de.locator(
        '.message.out [data-status-words="Zugestellt"], .message.out [data-status-words="Gelesen"]',
      )
        .first().waitFor();

      // Durations with plurals: the disappearing-message choices.
      assert.deepEqual(await timerChoices(de), [
        "Verschwinden: aus",
        "Verschwinden: 5 Minuten",
        "Verschwinden: 1 Stunde",
        "Verschwinden: 1 Tag",
        "Verschwinden: 1 Woche",
      ]);
      assert.deepEqual(await timerChoices(ja), [
        "消える：オフ",
        "消える：5分",
        "消える：1時間",
        "消える：1日",
        "消える：1週間",
      ]);

      // A timer change is told to each side in its own words.
      await de.selectOption("select.timer-select", "3600");
      await de.locator('[data-kind="timer"]', {
        hasText: "Du hast verschwindende Nachrichten auf 1 Stunde gestellt",
      }).waitFor();
      await ja.locator('[data-kind="timer"]', {
        hasText: "相手が消えるメッセージを1時間に設定しました",
      }).waitFor();

      // The safety number: the same Western digits on both screens, in both languages.
      const german = await safetyGroups(de);
      const japanese = await safetyGroups(ja);
      assert.ok(german.length > 0);
      for (const group of [...german, ...japanese]) assert.match(group, /^[0-9]+$/);
      assert.deepEqual(german, japanese);
      assert.deepEqual(scene.errors, []);
    });
  },
});
