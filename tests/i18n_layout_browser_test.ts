/**
 * The interface in other languages, in real Chromium: Arabic and Hebrew laid
 * out right to left (composer and bubbles mirrored, each message in its own
 * direction), no text clipped or overflowing in the 40 % longer
 * pseudo-locale at phone width, and no serious accessibility violation in
 * Arabic, German and Japanese. Screenshots of the right-to-left chat are
 * written to `docs/screenshots/` with `UPDATE_SCREENSHOTS=1`.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { seriousViolations } from "./fixtures/axe.ts";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  hydrated,
  type Scene,
  send,
  showHeaderControls,
  withScene,
} from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = new URL("../docs/screenshots/", import.meta.url);

type ContextOptions = Parameters<Browser["newContext"]>[0];

/**
 * Adam creates a conversation and Eve joins, by element IDs and states only
 * (the words are in the page's language); resolves once a message went
 * through, so the session is up on both sides.
 */
async function pairIn(scene: Scene, options: ContextOptions) {
  const adam = await scene.newPage(options);
  const eve = await scene.newPage(options);
  await adam.goto(`${scene.server.base}/`);
  await hydrated(adam);
  await adam.click("#create");
  await adam.waitForURL(/\/c\/[0-9A-Z]{26}$/);
  const invite = await adam.inputValue("#invite-link");
  await eve.goto(invite);
  await eve.locator("#join").click();
  for (const page of [adam, eve]) {
    await page.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
  }
  await send(adam, "Hello, this is written in English.");
  await bubble(eve, "Hello, this is written").waitFor();
  await send(eve, "שלום, מה שלומך?");
  await bubble(adam, "שלום").waitFor();
  return { adam, eve, invite };
}

/** The horizontal extent of an element. */
async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  assert.ok(found, `${selector} is not laid out`);
  return { left: found.x, right: found.x + found.width, center: found.x + found.width / 2 };
}

Deno.test({
  name: "Arabic and Hebrew chats are laid out right to left: composer and bubbles mirrored",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withScene(async (scene) => {
      const update = Deno.env.get("UPDATE_SCREENSHOTS") === "1";
      for (const [tag, expected] of [["ar", "rtl"], ["he", "rtl"], ["en", "ltr"]] as const) {
        await t.step(`${tag}: <html dir="${expected}">`, async () => {
          const { adam } = await pairIn(scene, { locale: tag, viewport: DESKTOP });
          assert.deepEqual(
            await adam.evaluate(
              () => [document.documentElement.lang, document.documentElement.dir],
            ),
            [tag, expected],
          );
          const field = await box(adam, "#message");
          const sendButton = await box(adam, ".composer .send");
          const mine = await box(adam, ".message.out .bubble");
          const theirs = await box(adam, ".message.in .bubble");
          if (expected === "rtl") {
            assert.ok(sendButton.right <= field.left + 1, "send button left of the field");
            assert.ok(mine.center < theirs.center, "own messages on the left");
          } else {
            assert.ok(sendButton.left >= field.right - 1, "send button right of the field");
            assert.ok(mine.center > theirs.center, "own messages on the right");
          }
          // Each message keeps its own direction, whatever the page's.
          assert.equal(
            await bubble(adam, "Hello, this is").evaluate((el) => getComputedStyle(el).direction),
            "ltr",
          );
          assert.equal(
            await bubble(adam, "שלום").evaluate((el) => getComputedStyle(el).direction),
            "rtl",
          );
          if (tag !== "en") {
            const desktop = await adam.screenshot();
            await adam.setViewportSize(PHONE);
            const phoneField = await box(adam, "#message");
            const phoneSend = await box(adam, ".composer .send");
            assert.ok(phoneSend.right <= phoneField.left + 1, "mirrored at phone size too");
            const phone = await adam.screenshot();
            assert.ok(desktop.length > 10_000 && phone.length > 10_000);
            if (update) {
              await Deno.writeFile(new URL(`rtl-${tag}-desktop.png`, SCREENSHOTS), desktop);
              await Deno.writeFile(new URL(`rtl-${tag}-phone.png`, SCREENSHOTS), phone);
            }
          }
        });
      }
      assert.deepEqual(scene.errors, []);
    });
  },
});

Deno.test({
  name:
    "in German at phone width the safety number panel, behind More, stays within the chat header",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withScene(async (scene) => {
      const { adam } = await pairIn(scene, {
        locale: "de-DE",
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
      });
      await showHeaderControls(adam);
      await adam.locator('[aria-controls="verification"]').click();
      await adam.locator("#verification .safety-number").waitFor();
      // Nothing of it reaches past the header's content into its padding or off the screen.
      const outside = await adam.locator("#verification").evaluate((panel) => {
        const header = panel.closest(".chat-header")!;
        const edge = header.getBoundingClientRect().right -
          parseFloat(getComputedStyle(header).paddingInlineEnd);
        return [panel, ...panel.querySelectorAll("*")]
          .filter((el) => el.getBoundingClientRect().right > edge + 1)
          .map((el) => `${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 30)}"`);
      });
      assert.deepEqual(outside, []);
      assert.deepEqual(scene.errors, []);
    });
  },
});

/**
 * Every element whose text is cut off or runs out of its box, and any
 * horizontal scrolling of the page; plus text shown outside the catalogue
 * (no ⟦ ⟧ of the pseudo-locale), people's own words excepted.
 */
function layoutFaults(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const faults: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      faults.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    }
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}`;
    for (const el of document.body.querySelectorAll<HTMLElement>("*")) {
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") continue;
      if (el.closest(".visually-hidden, [hidden], dialog:not([open]), script, style")) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const ownText = [...el.childNodes].some((node) =>
        node.nodeType === Node.TEXT_NODE && /\S/.test(node.textContent ?? "")
      );
      if (!ownText) continue;
      if (rect.right > width + 1 || rect.left < -1) {
        faults.push(`${name(el)} "${el.textContent?.trim().slice(0, 30)}" is outside the page`);
      }
      const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
      if (clips && el.scrollWidth > el.clientWidth + 1) faults.push(`${name(el)} is cut off`);
      // Text of the interface is pseudo-localized; people's words and codes are not.
      const text = [...el.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? "").join("").trim();
      const theirs = el.closest(
        '[dir="auto"], .fingerprint, .safety-number, code, kbd, input, textarea, time, .brand',
      );
      if (!theirs && /[A-Za-z]{3,}/.test(text) && !/[⟦⟧·àƀçđéĝĥîĵķļñöŕšţûŵýž]/i.test(text)) {
        faults.push(`${name(el)} shows text outside the catalogue: "${text.slice(0, 60)}"`);
      }
    }
    return faults;
  });
}

Deno.test({
  name: "in the 40 % longer pseudo-locale at phone width no text is cut off or overflows",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withScene(async (scene) => {
      const options = { viewport: PHONE, locale: "en-US" };
      // The pseudo-locale is chosen as Settings would keep it: in this browser and its cookie.
      const pseudo = async (page: Page) => {
        await page.addInitScript(() => localStorage.setItem("anon:locale", "en-XA"));
        await page.context().addCookies([{
          name: "anon_locale",
          value: "en-XA",
          url: scene.server.base,
        }]);
      };
      const adam = await scene.newPage(options);
      await pseudo(adam);
      await t.step("home", async () => {
        await adam.goto(`${scene.server.base}/`);
        await hydrated(adam);
        assert.deepEqual(await layoutFaults(adam), []);
      });
      await t.step("chat waiting for the other person, and with messages", async () => {
        await adam.click("#create");
        await adam.waitForURL(/\/c\/[0-9A-Z]{26}$/);
        await hydrated(adam);
        assert.deepEqual(await layoutFaults(adam), []);
        const invite = await adam.inputValue("#invite-link");
        const eve = await scene.newPage(options);
        await pseudo(eve);
        await eve.goto(invite);
        await hydrated(eve);
        assert.deepEqual(await layoutFaults(eve), []);
        await eve.locator("#join").click();
        await adam.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
        await send(adam, "A message of the person, not of the interface");
        await bubble(eve, "A message of the person").waitFor();
        await send(eve, "An answer");
        await bubble(adam, "An answer").waitFor();
        assert.deepEqual(await layoutFaults(adam), []);
        assert.deepEqual(await layoutFaults(eve), []);
        // The header's controls behind "More", shown, and the safety number panel open.
        await showHeaderControls(adam);
        await adam.locator(".timer-select").waitFor();
        assert.deepEqual(await layoutFaults(adam), []);
        await adam.locator('[aria-controls="verification"]').click();
        await adam.locator("#verification .safety-number").waitFor();
        assert.deepEqual(await layoutFaults(adam), []);
      });
      await t.step("settings, the list, not found and offline", async () => {
        for (const path of ["/settings", "/", "/nowhere", "/offline"]) {
          await adam.goto(`${scene.server.base}${path}`);
          await hydrated(adam);
          assert.deepEqual(await layoutFaults(adam), [], path);
          if (path === "/settings") {
            // Every switch's box is the same size, beside a label of one line or of several.
            const sizes = await adam.locator(".switch input").evaluateAll((boxes) =>
              boxes.map((box) => box.getBoundingClientRect().width.toFixed(1))
            );
            assert.ok(sizes.length >= 4, `${sizes.length} switches`);
            assert.deepEqual(new Set(sizes).size, 1, `switch widths: ${sizes}`);
          }
        }
      });
      // The not-found page answers 404 on purpose; nothing else may fail.
      assert.deepEqual(scene.errors.filter((error) => !/status of 404/.test(error)), []);
    });
  },
});

Deno.test({
  name: "Arabic, German and Japanese pages have no serious accessibility violation, light or dark",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withScene(async (scene) => {
      for (const tag of ["ar", "de", "ja"]) {
        await t.step(tag, async () => {
          const { adam } = await pairIn(scene, { locale: tag, viewport: DESKTOP });
          const pages = [
            ["chat", null],
            ["home", `${scene.server.base}/`],
            ["settings", `${scene.server.base}/settings`],
          ] as const;
          for (const [name, url] of pages) {
            if (url) {
              await adam.goto(url);
              await hydrated(adam);
            }
            assert.equal(await adam.evaluate(() => document.documentElement.lang), tag);
            for (const scheme of ["light", "dark"] as const) {
              await adam.emulateMedia({ colorScheme: scheme });
              assert.deepEqual(await seriousViolations(adam), [], `${tag} ${name} (${scheme})`);
            }
          }
        });
      }
    });
  },
});
