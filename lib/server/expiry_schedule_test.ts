import assert from "node:assert/strict";
import { ExpirySchedule, MAX_TIMER_MS } from "./expiry_schedule.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("ExpirySchedule hands over each ID when its time comes, earliest first", async () => {
  const handed: string[][] = [];
  const schedule = new ExpirySchedule((ids) => handed.push(ids));
  try {
    const now = Date.now();
    schedule.set("late", now + 120);
    schedule.set("early", now + 30);
    schedule.set("gone", now + 30);
    schedule.delete("gone");
    await sleep(80);
    assert.deepEqual(handed, [["early"]]);
    await sleep(120);
    assert.deepEqual(handed, [["early"], ["late"]]);
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
