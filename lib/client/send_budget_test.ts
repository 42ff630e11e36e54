import assert from "node:assert/strict";
import { SendBudget } from "./send_budget.ts";

Deno.test("SendBudget allows a burst, then frames at the sustained rate", () => {
  let now = 0;
  const budget = new SendBudget({ perSecond: 10, burst: 3 }, () => now);
  assert.deepEqual([budget.take(), budget.take(), budget.take(), budget.take()], [
    true,
    true,
    true,
    false,
  ]);
  assert.equal(budget.waitMs(), 100);
  now += 99;
  assert.equal(budget.take(), false);
  now += 1;
  assert.equal(budget.take(), true);
  now += 10_000;
  assert.equal(budget.waitMs(), 0);
  // A long quiet spell refills the burst, not more.
  assert.deepEqual([1, 2, 3, 4].map(() => budget.take()), [true, true, true, false]);
});
