import assert from "node:assert/strict";
import { ExpiryHeap } from "./expiry_heap.ts";

/** Takes everything out, one time at a time, as (id, time) pairs in the order taken. */
function drain(heap: ExpiryHeap): [string, number][] {
  const taken: [string, number][] = [];
  while (heap.size > 0) {
    const time = heap.peekTime();
    for (const id of heap.takeDue(time)) taken.push([id, time]);
  }
  return taken;
}

Deno.test("ExpiryHeap hands out IDs in order of time, whatever the order they came in", () => {
  const heap = new ExpiryHeap();
  const times = [50, 10, 40, 30, 20, 60, 5];
  times.forEach((time, i) => heap.set(`c${i}`, time));
  assert.equal(heap.peekTime(), 5);
  assert.deepEqual(drain(heap).map(([, time]) => time), [...times].sort((a, b) => a - b));
  assert.equal(heap.peekTime(), Infinity);
});

Deno.test("ExpiryHeap.takeDue() takes every one of many equal times at once and none early", () => {
  const heap = new ExpiryHeap();
  for (let i = 0; i < 500; i++) heap.set(`same${i}`, 1000);
  heap.set("later", 1001);
  assert.deepEqual(heap.takeDue(999), []);
  const due = heap.takeDue(1000);
  assert.equal(due.length, 500);
  assert.equal(new Set(due).size, 500);
  assert.ok(due.every((id) => id.startsWith("same")));
  assert.deepEqual(heap.takeDue(1000), []);
  assert.deepEqual(heap.takeDue(1001), ["later"]);
});

Deno.test("ExpiryHeap.set() on a held ID moves its expiry later (an extension) or earlier", () => {
  const heap = new ExpiryHeap();
  heap.set("a", 100);
  heap.set("b", 200);
  heap.set("c", 300);
  // The extension of "a" past the others: it is no longer the earliest.
  heap.set("a", 400);
  assert.equal(heap.size, 3);
  assert.equal(heap.get("a"), 400);
  assert.deepEqual(heap.takeDue(350), ["b", "c"]);
  assert.deepEqual(heap.takeDue(399), []);
  heap.set("d", 500);
  heap.set("d", 50);
  assert.deepEqual(heap.takeDue(400), ["d", "a"]);
});

Deno.test("ExpiryHeap.delete() forgets an ID wherever it sits, and only that ID", () => {
  const heap = new ExpiryHeap();
  for (let i = 0; i < 20; i++) heap.set(`c${i}`, i * 10);
  assert.equal(heap.delete("c0"), true);
  assert.equal(heap.delete("c7"), true);
  assert.equal(heap.delete("c19"), true);
  assert.equal(heap.delete("c7"), false);
  assert.equal(heap.delete("never"), false);
  assert.equal(heap.get("c7"), undefined);
  assert.equal(heap.size, 17);
  const left = drain(heap).map(([id]) => id);
  const expected = Array.from({ length: 20 }, (_, i) => `c${i}`)
    .filter((id) => !["c0", "c7", "c19"].includes(id));
  assert.deepEqual(left, expected);
});

Deno.test("ExpiryHeap sweep of 10k entries removes only the due ones and keeps the rest in order", () => {
  const heap = new ExpiryHeap();
  // A fixed shuffle of 10k distinct times, 100 of which are due at `now`.
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const times = Array.from({ length: 10_000 }, (_, i) => 1_000 + i);
  for (let i = times.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [times[i], times[j]] = [times[j], times[i]];
  }
  times.forEach((time) => heap.set(`t${time}`, time));
  const now = 1_099;
  const due = heap.takeDue(now);
  assert.equal(due.length, 100);
  assert.deepEqual(due, Array.from({ length: 100 }, (_, i) => `t${1_000 + i}`));
  assert.equal(heap.size, 9_900);
  assert.equal(heap.peekTime(), 1_100);
  assert.equal(heap.get("t1099"), undefined);
  assert.equal(heap.get("t1100"), 1_100);
  assert.deepEqual(heap.takeDue(now), []);
});

Deno.test("ExpiryHeap agrees with a plain map over a long run of mixed operations", () => {
  const heap = new ExpiryHeap();
  const model = new Map<string, number>();
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  let now = 0;
  for (let step = 0; step < 20_000; step++) {
    const id = `c${random(300)}`;
    const op = random(10);
    if (op < 5) {
      const time = now + random(1000);
      heap.set(id, time);
      model.set(id, time);
    } else if (op < 7) {
      assert.equal(heap.delete(id), model.delete(id));
    } else {
      now += random(50);
      const expected = [...model].filter(([, t]) => t <= now).map(([i]) => i);
      const due = heap.takeDue(now);
      assert.deepEqual(new Set(due), new Set(expected));
      for (const i of due) model.delete(i);
    }
    assert.equal(heap.size, model.size);
    assert.equal(heap.peekTime(), model.size === 0 ? Infinity : Math.min(...model.values()));
  }
});
