/**
 * Telling conversations apart and finding one's way in a history, in real
 * Chromium against a real server, at desktop and phone sizes: local names
 * (never sent), the list's previews, unread counts, times and order, day
 * lines and "joined" lines in the history, search, reading offline, and the
 * warning before a conversation ends with its extension by both people.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { browserTestsEnabled } from "./fixtures/browser.ts";
import {
  bubble,
  createConversation,
  hydrated,
  join,
  joinedPair,
  send,
  showHeaderControls,
  withScene,
} from "./fixtures/pages.ts";

const enabled = browserTestsEnabled();
const options = { ignore: !enabled, sanitizeResources: false, sanitizeOps: false };
const SIZES = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
] as const;
const AXE_SOURCE: string = (axe as unknown as { source: string }).source;

/** Serious or critical axe findings on the page as it is, light and dark. */
async function assertAccessible(page: Page, name: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(AXE_SOURCE);
    const violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] =
      await page.evaluate(async () => {
        const axe = (globalThis as unknown as {
          axe: { run(c: Document, o: unknown): Promise<{ violations: never[] }> };
        }).axe;
        return (await axe.run(document, { resultTypes: ["violations"] })).violations;
      });
    const serious = violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
    assert.deepEqual(serious, [], `${name} (${scheme})`);
  }
}

/** Records every WebSocket frame and HTTP request (URL and body) a page sends. */
function recordTraffic(page: Page, sent: string[]): void {
  page.on("request", (request) => sent.push(request.url() + " " + (request.postData() ?? "")));
  page.on("websocket", (socket) => {
    socket.on("framesent", (frame) => sent.push(String(frame.payload)));
  });
}

/** Waits until the rename form has opened and its first field has focus. */
async function renameFormFocused(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.activeElement?.id.endsWith("-conversation") &&
    document.activeElement.closest(".name-editor") !== null
  );
}

/** Makes the page act as if its window had lost focus: what arrives stays unread. */
async function loseFocus(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, "hasFocus", { value: () => false, configurable: true });
  });
}

for (const [size, viewport] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size} local names show in the list and the chat header and are never sent; the list shows previews, unread counts and times, newest first`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, { viewport });
        const sent: string[] = [];
        recordTraffic(adam, sent);
        recordTraffic(eve, sent);
        const first = new URL(adam.url()).pathname;

        // Renamed from the chat header, with the keyboard only.
        await showHeaderControls(adam);
        await adam.getByRole("button", { name: "Rename conversation" }).focus();
        await adam.keyboard.press("Enter");
        await renameFormFocused(adam);
        await adam.keyboard.type("Zorblax club");
        await adam.keyboard.press("Tab");
        await adam.keyboard.type("Quixotica");
        await adam.keyboard.press("Enter");
        await adam.locator('[data-testid="chat-title"]', { hasText: "Zorblax club" }).waitFor();
        assert.match(
          await adam.locator('[data-testid="chat-title"]').innerText(),
          /Zorblax club\s+with Quixotica/,
        );
        // Focus went back to the button, and Escape leaves a form unchanged.
        await adam.waitForFunction(() =>
          document.activeElement?.getAttribute("aria-label") === "Rename conversation"
        );
        await adam.keyboard.press("Enter");
        await renameFormFocused(adam);
        await adam.keyboard.type(" nope");
        await adam.keyboard.press("Escape");
        await adam.getByRole("button", { name: "Rename conversation" }).waitFor();
        assert.match(await adam.locator('[data-testid="chat-title"]').innerText(), /^Zorblax club/);
        // Eve never learns the name Adam chose.
        assert.match(await eve.locator('[data-testid="chat-title"]').innerText(), /^Conversation$/);

        await send(adam, "hello from adam");
        await bubble(eve, "hello from adam").waitFor();

        // A second conversation, started after that message.
        await createConversation(adam, scene.server.base);
        await adam.goto(scene.server.base + first);
        await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
        await loseFocus(adam);
        await send(eve, "first unread");
        await send(eve, "second unread from Eve, مرحبا");
        await bubble(adam, "second unread from Eve").waitFor();
        await eve.locator('.message.out[data-status="delivered"]', { hasText: "second unread" })
          .waitFor();

        await adam.goto(`${scene.server.base}/`);
        await hydrated(adam);
        const items = adam.locator(".conversation-item");
        await items.nth(1).waitFor();
        assert.equal(await items.count(), 2);
        // Newest activity first: Eve's messages came after the second conversation began.
        const top = items.nth(0);
        assert.equal(await top.locator(".conversation-name").innerText(), "Zorblax club");
        assert.equal(await top.locator(".conversation-peer").innerText(), "with Quixotica");
        assert.equal(
          await top.locator('[data-testid="preview"] [dir="auto"]').innerText(),
          "second unread from Eve, مرحبا",
        );
        assert.match(await top.locator('[data-testid="unread"]').innerText(), /^2\s*unread$/);
        assert.match(await top.locator("time").innerText(), /\d{1,2}:\d{2}/);
        const second = items.nth(1);
        assert.equal(await second.locator(".conversation-name").innerText(), "Started here");
        assert.equal(
          await second.locator('[data-testid="preview"]').innerText(),
          "No messages yet",
        );
        assert.equal(await second.locator('[data-testid="unread"]').count(), 0);
        await assertAccessible(adam, "conversation list with names and unread counts");

        // Renamed from the list, with the keyboard; the name shows at once.
        await second.getByRole("button", { name: "Rename Started here" }).focus();
        await adam.keyboard.press("Enter");
        await renameFormFocused(adam);
        // The form opens below the conversation, which keeps its width.
        const link = (await second.locator(".conversation-link").boundingBox())!;
        const form = (await second.locator(".name-editor").boundingBox())!;
        assert.ok(form.y >= link.y + link.height - 1, "the form is below the conversation");
        assert.ok(link.width > form.width / 2, `the conversation is ${link.width}px wide`);
        await adam.keyboard.type("Plans for Friday");
        await adam.keyboard.press("Enter");
        await second.locator(".conversation-name", { hasText: "Plans for Friday" }).waitFor();
        await assertAccessible(adam, "conversation list after renaming");

        // Reading the conversation clears its unread count.
        await top.locator("a").click();
        await bubble(adam, "second unread from Eve").waitFor();
        // Marking as read is saved a moment after the page shows the messages.
        let unread = -1;
        for (let attempt = 0; attempt < 20 && unread !== 0; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          await adam.goto(`${scene.server.base}/`);
          await adam.locator(".conversation-item").nth(1).waitFor();
          unread = await adam.locator('[data-testid="unread"]').count();
          if (unread !== 0) await adam.goBack();
        }
        assert.equal(unread, 0);

        // Settings lists each conversation by the name this browser gave it.
        await adam.goto(`${scene.server.base}/settings`);
        await hydrated(adam);
        const stored = adam.locator('a[href^="/c/"]');
        await stored.nth(1).waitFor();
        const labels = await stored.allInnerTexts();
        assert.equal(labels.length, 2);
        assert.ok(labels.some((label) => label.startsWith("Zorblax club · ")), `${labels}`);
        assert.ok(labels.some((label) => label.startsWith("Plans for Friday · ")), `${labels}`);

        for (const text of sent) {
          for (const name of ["Zorblax", "Quixotica", "Plans for Friday"]) {
            assert.ok(!text.includes(name), `"${name}" was sent: ${text.slice(0, 120)}`);
          }
        }
        assert.ok(sent.length > 10, "traffic was recorded");
        assert.deepEqual(scene.errors, []);
      });
    },
  });

  Deno.test({
    ...options,
    name:
      `on a ${size} the history has day lines and joined lines, and search highlights matches and steps through them`,
    async fn() {
      await withScene(async (scene) => {
        const context = { viewport, timezoneId: "UTC" };
        const adam = await scene.newPage(context);
        const eve = await scene.newPage(context);
        // Late in the evening, so midnight can pass between two messages.
        const evening = new Date();
        evening.setUTCHours(23, 57, 0, 0);
        if (evening.getTime() < Date.now()) evening.setUTCDate(evening.getUTCDate() + 1);
        // Eve's clock first: the history sorts by the sender's time (in the
        // ULID), so her answer must not seem older than what it answers when
        // the second clock starts a moment after the first.
        for (const page of [eve, adam]) await page.clock.install({ time: evening });
        const invite = await createConversation(adam, scene.server.base);
        await join(adam, eve, invite);
        await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();

        await send(adam, "Pizza tonight?");
        await bubble(eve, "Pizza tonight?").waitFor();
        await send(eve, "pizza is fine");
        await bubble(adam, "pizza is fine").waitFor();
        for (const page of [adam, eve]) await page.clock.fastForward("05:00");
        await send(adam, "It is tomorrow now: more PIZZA");
        await bubble(eve, "It is tomorrow now: more PIZZA").waitFor();

        const lines = (page: Page) =>
          page.locator(
            '.message-items > li[data-kind="day"], .message-items > li[data-kind="joined"]',
          )
            .allInnerTexts();
        assert.deepEqual(await lines(adam), [
          "Yesterday",
          "You started this conversation",
          "They joined",
          "Today",
        ]);
        assert.deepEqual(await lines(eve), ["Yesterday", "You joined", "Today"]);
        // The day line comes right before the first message of the new day.
        assert.equal(
          await adam.locator('li[data-kind="day"]', { hasText: "Today" })
            .evaluate((li) => li.nextElementSibling?.querySelector(".text")?.textContent),
          "It is tomorrow now: more PIZZA",
        );
        await assertAccessible(adam, "history with day and joined lines");

        // Search: the newest match first, Enter goes back, Escape closes.
        await showHeaderControls(adam);
        await adam.getByRole("button", { name: "Search", exact: true }).click();
        const field = adam.getByRole("searchbox", { name: "Search messages" });
        await field.waitFor();
        assert.equal(await adam.evaluate(() => document.activeElement?.id), "history-search-field");
        await field.fill("pizza");
        const count = adam.locator('[data-testid="search-count"]');
        await count.filter({ hasText: "3 of 3" }).waitFor();
        const highlighted = () =>
          adam.evaluate(() => {
            const all = CSS.highlights.get("search-match");
            const current = CSS.highlights.get("search-current");
            return {
              // Which matches are marked, not the order the marks were added in.
              all: all ? [...all].map((r) => (r as Range).toString()).sort() : [],
              current: current ? [...current].map((r) => (r as Range).toString()) : [],
            };
          });
        assert.deepEqual(await highlighted(), {
          all: ["PIZZA", "Pizza", "pizza"],
          current: ["PIZZA"],
        });
        await field.press("Enter");
        await count.filter({ hasText: "2 of 3" }).waitFor();
        assert.deepEqual((await highlighted()).current, ["pizza"]);
        await adam.getByRole("button", { name: "Next match" }).click();
        await count.filter({ hasText: "3 of 3" }).waitFor();
        await adam.getByRole("button", { name: "Previous match" }).click();
        await adam.getByRole("button", { name: "Previous match" }).click();
        await count.filter({ hasText: "1 of 3" }).waitFor();
        assert.deepEqual((await highlighted()).current, ["Pizza"]);
        await field.fill("nothing like this");
        await count.filter({ hasText: "No matches" }).waitFor();
        await field.fill("tonight");
        await count.filter({ hasText: "1 of 1" }).waitFor();
        await assertAccessible(adam, "search open with a match");
        await field.press("Escape");
        await field.waitFor({ state: "detached" });
        await adam.waitForFunction(() => document.activeElement?.textContent === "Search");
        assert.deepEqual(await highlighted(), { all: [], current: [] });
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

/** Waits until the page is controlled by the service worker, then loads it again through it. */
async function throughServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await hydrated(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // The reload above went through the worker, which kept the chat page.
  await page.reload();
  await hydrated(page);
}

/** The paths the service worker keeps, in every cache. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const r of await (await caches.open(name)).keys()) paths.push(new URL(r.url).pathname);
    }
    return paths;
  });
}

for (const [size, viewport] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size} a conversation's history opens offline and with the server down, marked offline, instead of the offline page`,
    async fn() {
      await withScene(async (scene) => {
        const { adam, eve } = await joinedPair(scene, { viewport });
        const path = new URL(adam.url()).pathname;
        await send(adam, "kept for the train");
        await bubble(eve, "kept for the train").waitFor();
        await send(eve, "read it underground");
        await bubble(adam, "read it underground").waitFor();
        for (const page of [adam, eve]) {
          await throughServiceWorker(page);
          await bubble(page, "read it underground").waitFor();
          assert.ok((await cachedPaths(page)).includes(path), "the chat page is kept");
          assert.ok(
            (await cachedPaths(page)).every((p) => !p.startsWith("/api")),
            "no API answer is kept",
          );
        }

        // Eve's browser goes offline: the page and its history still open.
        await eve.context().setOffline(true);
        try {
          // The open page takes its socket for lost at once: the other person
          // no longer shows online, and what is written waits, never "sent".
          await eve.locator('[data-testid="peer-state"]:not([data-state="online"])').waitFor({
            timeout: 5_000,
          });
          await send(eve, "written as the network went");
          const going = eve.locator(".message.out", { hasText: "written as the network went" });
          await going.waitFor();
          await new Promise((resolve) => setTimeout(resolve, 500));
          assert.equal(await going.getAttribute("data-status"), "pending");
          await eve.reload();
          await hydrated(eve);
          await bubble(eve, "kept for the train").waitFor();
          await bubble(eve, "read it underground").waitFor();
          await eve.locator('[data-testid="offline"]', { hasText: "You are offline" }).waitFor();
          assert.equal(await eve.getByRole("heading", { name: "You are offline" }).count(), 0);
          await assertAccessible(eve, "chat read offline");
          // What is written offline waits in this browser.
          await send(eve, "written offline");
          await eve.locator('.message.out[data-status="pending"]', { hasText: "written offline" })
            .waitFor();
        } finally {
          await eve.context().setOffline(false);
        }
        await eve.locator('[data-testid="offline"]').waitFor({ state: "detached" });
        await bubble(adam, "written as the network went").waitFor();
        await bubble(adam, "written offline").waitFor();

        // The server stops: Adam's reload opens the kept page and history.
        await scene.server.terminate();
        await adam.reload();
        await hydrated(adam);
        await bubble(adam, "written offline").waitFor();
        await adam.locator('[data-testid="offline"]', { hasText: "The server cannot be reached" })
          .waitFor();
        assert.equal(await adam.locator('[data-testid="closed"]').count(), 0, "not taken as ended");
        assert.deepEqual(
          scene.errors.filter((e) =>
            !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|WebSocket/.test(e)
          ),
          [],
        );
      });
    },
  });
}

for (const [size, viewport] of SIZES) {
  Deno.test({
    ...options,
    name:
      `on a ${size} a conversation warns before it ends, and both people extend it; the server learns only the new end`,
    async fn() {
      await withScene(async (scene) => {
        const adam = await scene.newPage({ viewport });
        const eve = await scene.newPage({ viewport });
        const sent: string[] = [];
        recordTraffic(adam, sent);
        recordTraffic(eve, sent);
        // A one-hour conversation is within the warning's hour and five minutes at once.
        await adam.goto(`${scene.server.base}/`);
        await hydrated(adam);
        await adam.selectOption("#lifetime", "3600");
        await adam.click("#create");
        await adam.waitForURL(/\/c\/[0-9A-Z]{26}$/);
        const id = new URL(adam.url()).pathname.slice(3);
        await join(adam, eve, await adam.inputValue("#invite-link"));
        await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
        await eve.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
        for (const page of [adam, eve]) {
          await page.locator('[data-testid="end-warning"]', {
            hasText: /This conversation ends in (59|60) minutes/,
          }).waitFor();
        }
        const before = await (await fetch(`${scene.server.base}/api/conversations/${id}`)).json();
        await assertAccessible(adam, "end warning with the offer to extend");

        await adam.getByRole("button", { name: /^Keep it until / }).click();
        await adam.locator('[data-testid="extension-asked"]').waitFor();
        await eve.getByText("The other person asks to keep it until").waitFor();
        await assertAccessible(eve, "the other person's request to extend");
        await eve.getByRole("button", { name: /^Keep it until / }).click();
        for (const page of [adam, eve]) {
          await page.locator('[data-testid="end-warning"]').waitFor({ state: "detached" });
          await page.locator(".expiry", { hasText: "Ends in 1 day" }).waitFor();
        }
        const after = await (await fetch(`${scene.server.base}/api/conversations/${id}`)).json();
        assert.equal(
          Date.parse(after.conversation.expiresAt) - Date.parse(before.conversation.expiresAt),
          24 * 3600_000,
        );
        // Each side sent one extend frame, which holds the new end and nothing else.
        const extendFrames = sent.filter((text) => text.includes('"extend"'));
        assert.deepEqual(extendFrames.map((text) => JSON.parse(text)), [
          { type: "extend", expiresAt: after.conversation.expiresAt },
          { type: "extend", expiresAt: after.conversation.expiresAt },
        ]);
        // A reload keeps the new end, which is stored in the browser.
        await eve.reload();
        await hydrated(eve);
        await eve.locator(".expiry", { hasText: "Ends in 1 day" }).waitFor();
        assert.equal(await eve.locator('[data-testid="end-warning"]').count(), 0);
        assert.deepEqual(scene.errors, []);
      });
    },
  });
}

Deno.test({
  ...options,
  name:
    "the home list in another tab of the same browser updates live, without reload and without a request: a new message, a name change and an ended conversation",
  async fn() {
    await withScene(async (scene) => {
      const { adam, eve } = await joinedPair(scene);
      await send(eve, "before the list opened");
      await bubble(adam, "before the list opened").waitFor();
      // A second tab of Adam's browser, on the home page.
      const home = await adam.context().newPage();
      await home.goto(`${scene.server.base}/`);
      await hydrated(home);
      const item = home.locator(".conversation-item");
      const preview = item.locator('[data-testid="preview"] [dir="auto"]');
      await preview.filter({ hasText: "before the list opened" }).waitFor();
      const loads: string[] = [];
      home.on("framenavigated", (frame) => loads.push(frame.url()));
      const requests: string[] = [];
      recordTraffic(home, requests);

      await send(eve, "a new message, seen live");
      await preview.filter({ hasText: "a new message, seen live" }).waitFor();

      await adam.getByRole("button", { name: "Rename conversation" }).click();
      await renameFormFocused(adam);
      await adam.keyboard.type("Live name");
      await adam.keyboard.press("Enter");
      await item.locator(".conversation-name", { hasText: "Live name" }).waitFor();

      await eve.getByRole("button", { name: "Delete conversation" }).click();
      await eve.getByRole("button", { name: "Delete", exact: true }).click();
      await adam.getByTestId("peer-state").filter({ hasText: "Ended" }).waitFor();
      await item.locator(".badge.ended", { hasText: "Ended" }).waitFor();

      assert.deepEqual(loads, [], "the home page was not loaded again");
      assert.deepEqual(requests, [], "the home page asked the server nothing");
      assert.deepEqual(scene.errors, []);
    });
  },
});
