import assert from "node:assert/strict";
import { ExpirySchedule, MAX_TIMER_MS } from "./expiry_schedule.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds, for at most ten seconds (a loaded machine runs timers late). */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(5);
  }
}

Deno.test("ExpirySchedule hands over each ID when its time comes, earliest first", async () => {
  const handed: [string[], number][] = [];
  const schedule = new ExpirySchedule((ids) => handed.push([ids, Date.now()]));
  try {
    const now = Date.now();
    schedule.set("late", now + 1500);
    schedule.set("early", now + 30);
    schedule.set("gone", now + 30);
    schedule.delete("gone");
    await waitFor(() => handed.length === 1);
    assert.deepEqual(handed[0][0], ["early"]);
    assert.ok(handed[0][1] >= now + 30, "not before its time");
    await waitFor(() => handed.length === 2);
    assert.deepEqual(handed[1][0], ["late"]);
    assert.ok(handed[1][1] >= now + 1500, "not before its time");
    assert.equal(schedule.size, 0);
  } finally {
    schedule.close();
  }
});

Deno.test("ExpirySchedule.takeDue() takes only what is due, by its clock", () => {
  const clock = { now: 1000 };
  const schedule = new ExpirySchedule(() => {}, { now: () => clock.now });
  try {
    schedule.set("a", 1000 + 10 * 60_000);
    schedule.set("b", 1000 + 20 * 60_000);
    assert.deepEqual(schedule.takeDue(), []);
    clock.now += 10 * 60_000;
    assert.deepEqual(schedule.takeDue(), ["a"]);
    assert.deepEqual(schedule.takeDue(), []);
    assert.equal(schedule.size, 1);
  } finally {
    schedule.close();
  }
});

Deno.test("ExpirySchedule waits out an expiry beyond the longest timer instead of firing at once", async () => {
  const handed: string[][] = [];
  const schedule = new ExpirySchedule((ids) => handed.push(ids));
  try {
    // setTimeout would fire at once for a delay past 2^31 - 1 ms if not clamped.
    schedule.set("far", Date.now() + MAX_TIMER_MS * 4);
    await sleep(50);
    assert.deepEqual(handed, []);
    assert.equal(schedule.size, 1);
  } finally {
    schedule.close();
  }
});

Deno.test("ExpirySchedule.close() stops the timer for good", async () => {
  const handed: string[][] = [];
  const schedule = new ExpirySchedule((ids) => handed.push(ids));
  schedule.set("a", Date.now() + 20);
  schedule.close();
  schedule.set("b", Date.now() + 20);
  await sleep(60);
  assert.deepEqual(handed, []);
});

Deno.test("an ExpirySchedule left empty holds no timer, so nothing keeps the process up", () => {
  const schedule = new ExpirySchedule(() => {});
  schedule.set("a", Date.now() + 3600_000);
  schedule.set("b", Date.now() + 7200_000);
  schedule.delete("a");
  schedule.delete("b");
  assert.equal(schedule.size, 0);
  // No close(): the test's sanitizer fails on a timer still armed.
});
