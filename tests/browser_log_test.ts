/**
 * A whole chat in Chromium, watched from both ends: the page reports no
 * Content-Security-Policy violation, and the server's log is one JSON event
 * per line holding no message text, no key, no invite secret, no address and
 * no full conversation ID.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { browserTestsEnabled, launchChromium } from "./fixtures/browser.ts";
import { startServerProcess } from "./fixtures/server_process.ts";
import { acceptInvite, createConversation } from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();

/** Opens a page that records every `securitypolicyviolation` event. */
async function watchedPage(context: BrowserContext, violations: string[]): Promise<Page> {
  const page = await context.newPage();
  await page.exposeFunction("__reportViolation", (text: string) => violations.push(text));
  // Runs before any page script, outside the page's CSP.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (globalThis as unknown as Record<string, (text: string) => void>)
        .__reportViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}`);
    });
  });
  return page;
}

async function send(page: Page, text: string) {
  await page.fill("#message", text);
  await page.press("#message", "Enter");
}

function bubble(page: Page, text: string) {
  return page.locator(".message .text", { hasText: text });
}

Deno.test({
  name: "a whole browser chat triggers no CSP violation and leaves no secret in the log",
  ignore: !enabled,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using server = await startServerProcess();
    await using browser = await launchChromium();
    const violations: string[] = [];
    const adam = await watchedPage(await browser.newContext(), violations);
    const eve = await watchedPage(await browser.newContext(), violations);
    const marker = `marker-${crypto.randomUUID()}`;

    const invite = await createConversation(adam, server.base);
    const [url, secret] = invite.split("#");
    const conversationId = url.split("/").at(-1)!;
    await acceptInvite(eve, invite);
    await adam.locator('[data-testid="peer-state"][data-state="online"]').waitFor();
    await eve.locator('[data-testid="peer-state"][data-state="online"]').waitFor();

    await send(adam, `to Eve ${marker}`);
    await bubble(eve, `to Eve ${marker}`).waitFor();
    await send(eve, `to Adam ${marker}`);
    await bubble(adam, `to Adam ${marker}`).waitFor();
    await eve.reload();
    await bubble(eve, `to Eve ${marker}`).waitFor();
    const record = await (await fetch(`${server.base}/api/conversations/${conversationId}`))
      .json();

    await adam.getByRole("button", { name: "Delete conversation" }).click();
    await adam.getByRole("button", { name: "Delete", exact: true }).click();
    await eve.locator('[data-testid="closed"]').waitFor();

    assert.deepEqual(violations, [], "no CSP violation");
    // The listener works: an inline script is refused and reported.
    await eve.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "void 0";
      document.body.append(script);
    });
    const deadline = Date.now() + 5000;
    while (violations.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(violations[0] ?? "", /^script-src/);

    const lines = server.output().split("\n").filter((line) => line.trim() !== "");
    const events = lines.map((line) => {
      const event = JSON.parse(line);
      assert.equal(typeof event.event, "string", `one event per line: ${line}`);
      return event;
    });
    const names = events.map((e) => e.event);
    for (
      const expected of ["conversation_created", "participant_joined", "conversation_deleted"]
    ) {
      assert.ok(names.includes(expected), `logged ${expected}`);
    }
    // The one line allowed an address is the server's own "listening" line.
    const log = lines.filter((line) => !line.includes('"listening"')).join("\n");
    const keys = [
      record.conversation.accessKey,
      ...record.conversation.participants.flatMap(
        (p: { bundle: Record<string, unknown> }) =>
          Object.values(p.bundle).filter((v) => typeof v === "string" && v.length > 20),
      ),
    ];
    assert.ok(keys.length >= 3);
    assert.ok(!log.includes(marker), "no message text");
    assert.ok(!log.includes(secret), "no invite secret");
    for (const key of keys) assert.ok(!log.includes(key), "no key");
    assert.ok(!log.includes(conversationId), "only shortened conversation IDs");
    assert.ok(!/\b127\.0\.0\.1\b|::1\b/.test(log), "no address");
  },
});
