/**
 * The README screenshots, taken in Chromium against a real server:
 * `UPDATE_SCREENSHOTS=1 deno test --allow-all tests/screenshots_test.ts`
 * writes `docs/screenshots/*.png`.
 */
import { browserTestsEnabled } from "./fixtures/browser.ts";
import { bubble, createConversation, join, openInvite, send, withScene } from "./fixtures/pages.ts";

const OUT = new URL("../docs/screenshots/", import.meta.url);
const DESKTOP = { width: 1200, height: 760 };
const PHONE = { width: 360, height: 740 };

Deno.test({
  name:
    "README screenshots of home, invite, joining, chat, verification, the phone layout and the list (UPDATE_SCREENSHOTS=1)",
  ignore: !browserTestsEnabled() || Deno.env.get("UPDATE_SCREENSHOTS") !== "1",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.mkdir(OUT, { recursive: true });
    await withScene(async (scene) => {
      const { server } = scene;
      const adam = await scene.newPage({ viewport: DESKTOP, colorScheme: "light" });
      const eve = await scene.newPage({ viewport: PHONE, colorScheme: "dark", isMobile: true });

      await adam.goto(`${server.base}/`);
      await adam.locator("#create").waitFor();
      await adam.screenshot({ path: new URL("home.png", OUT).pathname });

      const invite = await createConversation(adam, server.base);
      await adam.locator('[data-testid="invite-qr"]').waitFor();
      await adam.screenshot({ path: new URL("invite.png", OUT).pathname });

      await openInvite(eve, invite);
      await eve.screenshot({ path: new URL("join.png", OUT).pathname });
      await join(adam, eve, invite);
      const lines: [typeof adam, string][] = [
        [adam, "Hi! Is this the link you meant?"],
        [eve, "Yes, it is me. Nice: nothing stays on the server."],
        [adam, "Exactly. Only our two browsers keep this."],
        [eve, "Perfect. Talk tonight?"],
      ];
      for (const [page, text] of lines) {
        await send(page, text);
        await bubble(page === adam ? eve : adam, text).waitFor();
      }
      // A reply with its quote, and names this browser alone keeps.
      const asked = bubble(adam, "Perfect. Talk tonight?").locator("xpath=ancestor::li[1]");
      await asked.hover();
      await asked.getByRole("button", { name: "Message actions" }).click();
      await asked.getByRole("group", { name: "Message actions" })
        .getByRole("button", { name: "Reply" }).click();
      await send(adam, "Yes, at nine. I will call.");
      await bubble(eve, "Yes, at nine. I will call.").waitFor();
      await adam.getByRole("button", { name: "Rename conversation" }).click();
      await adam.locator("#chat-name-conversation").fill("Weekend plans");
      await adam.locator("#chat-name-peer").fill("Eve");
      await adam.getByRole("button", { name: "Save" }).click();
      await adam.locator('.message.out[data-status="delivered"]').last().waitFor();
      await adam.locator("#message").blur();
      await adam.mouse.move(0, 0);
      await adam.screenshot({ path: new URL("chat.png", OUT).pathname });
      await eve.locator("#message").blur();
      await eve.screenshot({ path: new URL("phone.png", OUT).pathname });

      await adam.getByRole("button", { name: "Verify" }).click();
      await adam.locator('[data-testid="safety-number"]').waitFor();
      await adam.getByRole("button", { name: "Mark as verified" }).click();
      await adam.getByText("You marked this conversation as verified.").waitFor();
      await adam.screenshot({ path: new URL("verify.png", OUT).pathname });

      // The home page's list: the local name, the last message, when.
      await adam.goto(`${server.base}/`);
      await adam.getByText("Weekend plans").first().waitFor();
      await adam.screenshot({ path: new URL("list.png", OUT).pathname });
    });
  },
});
