/**
 * Redis mode as people use it: two isolated Chromium contexts, each pinned
 * to its own instance, talking through one Redis.
 */
import assert from "node:assert/strict";
import {
  browserTestsEnabled,
  launchChromium,
  warnIfBrowserTestsSkipped,
} from "./fixtures/browser.ts";
import { startCluster } from "./fixtures/cluster.ts";
import { acceptInvite, bubble, createConversation, send, watchErrors } from "./fixtures/pages.ts";
import { HAS_REDIS } from "./fixtures/redis.ts";

const enabled = browserTestsEnabled();
warnIfBrowserTestsSkipped();

Deno.test({
  name:
    "cluster in Chromium: Adam on instance A and Eve on instance B chat both ways and see each other come and go",
  ignore: !enabled || !HAS_REDIS,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using cluster = await startCluster();
    await using browser = await launchChromium();
    const errors: string[] = [];
    const adam = await (await browser.newContext()).newPage();
    const eveContext = await browser.newContext();
    let eve = await eveContext.newPage();
    watchErrors(adam, errors);
    watchErrors(eve, errors);

    const invite = await createConversation(adam, cluster.a.base);
    // Eve's invite leads to the other instance, as a balancer could send her.
    const eveInvite = invite.replace(cluster.a.base, cluster.b.base);
    assert.notEqual(eveInvite, invite);
    await acceptInvite(eve, eveInvite);
    await adam.locator('[data-testid="peer-state"]', { hasText: /^Online$/ }).waitFor();
    await eve.locator('[data-testid="peer-state"][data-state="online"]').waitFor();

    const marker = crypto.randomUUID();
    await send(adam, `from A ${marker}`);
    await bubble(eve, `from A ${marker}`).waitFor();
    await send(eve, `from B ${marker}`);
    await bubble(adam, `from B ${marker}`).waitFor();

    // Eve leaves; Adam sees her offline, writes, and she reads it on her return to B.
    await eve.close();
    await adam.locator('[data-testid="peer-state"][data-state="offline"]').waitFor();
    await send(adam, `while away ${marker}`);
    eve = await eveContext.newPage();
    watchErrors(eve, errors);
    await eve.goto(eveInvite.split("#")[0]);
    await bubble(eve, `while away ${marker}`).waitFor();
    assert.equal(await bubble(eve, `from A ${marker}`).count(), 1);
    assert.deepEqual(errors, []);
  },
});
