/**
 * Message actions in real Chromium against a real server, two people at
 * desktop and phone sizes: reply with a quote, react, copy, edit (shown as
 * edited on both sides), delete for both ("Message deleted" on both) and
 * for me (here only); links clickable only for http and https, and emoji
 * alone shown larger. Then axe on the chat with the actions open.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Locator, Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, joinedPair, send, withScene } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };
const AXE_SOURCE: string = (axe as unknown as { source: string }).source;

/** The message item holding `text`. */
function item(page: Page, text: string): Locator {
  return page.locator(".message", { has: page.locator(".text", { hasText: text }) });
}

/** Opens the actions of the message holding `text`, as a pointer would (hover, then "…"). */
async function openActions(page: Page, text: string): Promise<Locator> {
  const message = item(page, text);
  await message.hover();
  await message.getByRole("button", { name: "Message actions" }).click();
  const panel = message.getByRole("group", { name: "Message actions" });
  await panel.waitFor();
  return panel;
}

for (
  const [size, context] of [
    ["desktop", { viewport: { width: 1280, height: 800 } }],
    ["phone", { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }],
  ] as const
) {
  Deno.test({
    ...options,
    name:
      `on a ${size}, reply, react, copy, edit and delete work on both sides, links are safe and emoji alone are larger`,
    async fn(t) {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, {
          ...context,
          permissions: ["clipboard-read", "clipboard-write"],
        });

        await t.step("a reply quotes the message from each side's own copy", async () => {
          await send(eve, "Shall we meet at the station?");
          await bubble(adam, "Shall we meet at the station?").waitFor();
          const panel = await openActions(adam, "Shall we meet at the station?");
          await panel.getByRole("button", { name: "Reply" }).click();
          const preview = adam.getByTestId("composer-reply");
          await preview.waitFor();
          assert.match(await preview.innerText(), /Replying to them[\s\S]*station/);
          await adam.getByRole("button", { name: "Cancel reply" }).click();
          await preview.waitFor({ state: "detached" });
          await (await openActions(adam, "Shall we meet at the station?"))
            .getByRole("button", { name: "Reply" }).click();
          await send(adam, "Yes, at eight");
          await preview.waitFor({ state: "detached" });
          for (const page of [adam, eve]) {
            const quote = item(page, "Yes, at eight").getByTestId("reply-quote");
            await quote.waitFor();
            assert.match(await quote.innerText(), /Shall we meet at the station\?/);
          }
        });

        await t.step("a reaction shows on both sides and can be taken back", async () => {
          const panel = await openActions(eve, "Yes, at eight");
          await panel.getByRole("button", { name: "React with 👍" }).click();
          await item(eve, "Yes, at eight").locator(".reactions", { hasText: "👍" }).waitFor();
          await item(adam, "Yes, at eight").locator(".reactions", { hasText: "👍" }).waitFor();
          const again = await openActions(eve, "Yes, at eight");
          const thumbs = again.getByRole("button", { name: "React with 👍" });
          assert.equal(await thumbs.getAttribute("aria-pressed"), "true");
          await thumbs.click();
          await item(adam, "Yes, at eight").locator(".reactions").waitFor({ state: "detached" });
        });

        await t.step("copy puts the text on the clipboard", async () => {
          const panel = await openActions(adam, "Shall we meet");
          await panel.getByRole("button", { name: "Copy" }).click();
          const copied = await adam.evaluate(() => navigator.clipboard.readText());
          assert.equal(copied, "Shall we meet at the station?");
        });

        await t.step("an edit shows as edited on both sides", async () => {
          await send(adam, "See you at 8pm");
          await bubble(eve, "See you at 8pm").waitFor();
          // Only one's own messages can be edited.
          const theirs = await openActions(adam, "Shall we meet");
          assert.equal(await theirs.getByRole("button", { name: "Edit" }).count(), 0);
          await adam.keyboard.press("Escape");
          await (await openActions(adam, "See you at 8pm")).getByRole("button", { name: "Edit" })
            .click();
          await adam.getByTestId("composer-edit").waitFor();
          // The field takes the text in an effect after the banner renders.
          await adam.waitForFunction(() =>
            document.querySelector<HTMLTextAreaElement>("#message")?.value === "See you at 8pm"
          );
          await adam.fill("#message", "See you at 9pm");
          await adam.press("#message", "Enter");
          for (const page of [adam, eve]) {
            const edited = item(page, "See you at 9pm");
            await edited.locator(".edited", { hasText: "Edited" }).waitFor();
          }
          assert.equal(await bubble(eve, "8pm").count(), 0);
        });

        await t.step(
          "a message written straight after saving an edit is a new message, whole",
          async () => {
            await send(adam, "Platform 4");
            await bubble(eve, "Platform 4").waitFor();
            await (await openActions(adam, "Platform 4")).getByRole("button", { name: "Edit" })
              .click();
            await adam.waitForFunction(() =>
              document.querySelector<HTMLTextAreaElement>("#message")?.value === "Platform 4"
            );
            await adam.fill("#message", "Platform 5");
            // The next message is typed and sent at once, while the edit is being saved.
            await adam.press("#message", "Enter");
            await adam.keyboard.type("Running late");
            await adam.keyboard.press("Enter");
            for (const page of [adam, eve]) {
              await item(page, "Platform 5").locator(".edited", { hasText: "Edited" }).waitFor();
              await item(page, "Running late").waitFor();
              assert.equal(await bubble(page, "Running late").innerText(), "Running late");
            }
            assert.equal(await bubble(eve, "Platform 4").count(), 0);
            assert.equal(await adam.inputValue("#message"), "");
            assert.equal(await adam.getByTestId("composer-edit").count(), 0);
          },
        );

        await t.step("delete for both shows Message deleted on both sides", async () => {
          await send(adam, "Oops, wrong chat");
          await bubble(eve, "Oops, wrong chat").waitFor();
          const panel = await openActions(adam, "Oops, wrong chat");
          await panel.getByRole("button", { name: "Delete for both" }).click();
          await panel.getByRole("button", { name: "Delete", exact: true }).click();
          for (const page of [adam, eve]) {
            await page.getByTestId("deleted").waitFor();
            assert.equal(await bubble(page, "Oops, wrong chat").count(), 0);
          }
        });

        await t.step("delete for me removes the message here only", async () => {
          const panel = await openActions(eve, "See you at 9pm");
          // Not Eve's message: she may only delete it for herself.
          assert.equal(await panel.getByRole("button", { name: "Delete for both" }).count(), 0);
          await panel.getByRole("button", { name: "Delete for me" }).click();
          await panel.getByRole("button", { name: "Delete", exact: true }).click();
          await bubble(eve, "See you at 9pm").waitFor({ state: "detached" });
          await eve.reload();
          await bubble(eve, "Yes, at eight").waitFor();
          assert.equal(await bubble(eve, "See you at 9pm").count(), 0);
          assert.equal(await bubble(adam, "See you at 9pm").count(), 1);
        });

        await t.step("links open safely, javascript: is never a link", async () => {
          await send(adam, "Map: https://example.com/map?x=1. Not: javascript:alert(1)");
          const text = bubble(eve, "Map:");
          await text.waitFor();
          const links = text.locator("a");
          assert.equal(await links.count(), 1);
          assert.equal(await links.getAttribute("href"), "https://example.com/map?x=1");
          assert.equal(await links.getAttribute("rel"), "noopener noreferrer");
          assert.equal(await links.getAttribute("target"), "_blank");
          assert.match(await text.innerText(), /javascript:alert\(1\)/);
        });

        await t.step("one to three emoji alone are shown larger", async () => {
          await send(eve, "🎉🎉");
          await send(eve, "great 🎉");
          const large = bubble(adam, "🎉🎉");
          await bubble(adam, "great 🎉").waitFor();
          const size = (l: Locator) => l.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
          assert.ok(await size(large) >= 1.8 * await size(bubble(adam, "great 🎉")));
        });

        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

Deno.test({
  ...options,
  name:
    "the chat with a message's actions open has no serious or critical accessibility violation, light or dark",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene);
      await send(eve, "Check https://example.com 👍");
      await bubble(adam, "Check").waitFor();
      await send(adam, "Reacting now");
      await (await openActions(adam, "Check")).getByRole("button", { name: "React with 😂" })
        .click();
      await item(adam, "Check").locator(".reactions").waitFor();
      await (await openActions(adam, "Check")).getByRole("button", { name: "Reply" }).click();
      const panel = await openActions(adam, "Reacting now");
      await panel.getByRole("button", { name: "Delete for both" }).click();
      for (const scheme of ["light", "dark"] as const) {
        await adam.emulateMedia({ colorScheme: scheme });
        await adam.evaluate(AXE_SOURCE);
        const violations: Violation[] = await adam.evaluate(async () => {
          const axe = (globalThis as unknown as {
            axe: { run(context: Document, options: unknown): Promise<{ violations: Violation[] }> };
          }).axe;
          return (await axe.run(document, { resultTypes: ["violations"] })).violations;
        });
        const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target).join(", ")}`);
        assert.deepEqual(serious, [], scheme);
      }
      // The actions are reached by keyboard, and Escape closes them onto their button.
      await adam.keyboard.press("Escape");
      const toggle = item(adam, "Reacting now").getByRole("button", { name: "Message actions" });
      assert.equal(await toggle.getAttribute("aria-expanded"), "false");
      assert.ok(await toggle.evaluate((e) => e === document.activeElement));
      await adam.keyboard.press("Enter");
      assert.equal(await toggle.getAttribute("aria-expanded"), "true");
      await adam.keyboard.press("Tab");
      const focused = await adam.evaluate(() => document.activeElement?.getAttribute("aria-label"));
      assert.equal(focused, "React with 👍");
      assert.deepEqual(scene.errors, []);
    });
  },
});
